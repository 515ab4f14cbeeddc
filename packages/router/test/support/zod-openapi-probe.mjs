// Preloaded into a spawned router (NODE_OPTIONS=--import): on SIGUSR2 it says whether
// @hono/zod-openapi has been evaluated. Importing that package extends zod's ZodType with
// `.openapi()` (extendZodWithOpenApi), and nothing else in the router adds that method.
import { z } from 'zod';

process.on('SIGUSR2', () => {
  process.stderr.write(`zod-openapi-loaded=${typeof z.ZodType.prototype.openapi === 'function'}\n`);
});
