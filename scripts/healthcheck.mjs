// Container health check: exits 0 when the service answers its health endpoint within 2 s.
const url = process.env.HEALTHCHECK_URL ?? `http://127.0.0.1:${process.env.ROUTER_PORT ?? 8000}/health`;
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
