// Preloaded into the Portkey gateway process only (node --import). Portkey 1.15.2 appends its own
// x-portkey-* headers to responses whose Headers are immutable (fetch responses passed through), which
// throws `TypeError: immutable` on Node with @hono/node-server > 1.14.2 and fails every streamed chat
// completion (Portkey issues #1389 and #1550). Skipping the mutation when the guard forbids it is what
// Portkey PR #1390 proposes; everything else in the gateway runs unchanged.

for (const method of /** @type {const} */ (['append', 'set', 'delete'])) {
  const original = Headers.prototype[method];
  Object.defineProperty(Headers.prototype, method, {
    configurable: true,
    writable: true,
    /** @param {...any} args */
    value: function guarded(...args) {
      try {
        return Reflect.apply(original, this, args);
      } catch (error) {
        if (error instanceof TypeError && error.message === 'immutable') return undefined;
        throw error;
      }
    },
  });
}
