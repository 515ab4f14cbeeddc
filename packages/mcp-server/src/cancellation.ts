/**
 * What the OCS client and undici read of a call's cancellation: both an `AbortSignal` (the SDK's
 * `ctx.mcpReq.signal`) and a {@link Cancellation} are one.
 */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * The cancellation of one call, as a controller and its signal in one object. It replaces a
 * per-call `AbortController` on the paths that serve every tool call: on Node 20 every
 * `AbortSignal` survives V8's young-generation collections (an `EventTarget` whose prototype is
 * swapped after construction, measured: every one promoted to old space), and whatever its
 * listeners reference is promoted with it until the next full GC. Two of those per tools/call
 * were about half of what the MCP server promoted per call under load, which is what grew its
 * heap between major GCs. This is a plain object; undici accepts it as a request's `signal` (it
 * reads `aborted` and `reason` and adds an `abort` listener), and so does cockatiel (`aborted`).
 */
export class Cancellation implements CancelSignal {
  aborted = false;
  reason: unknown = undefined;
  private listeners: Array<() => void> | undefined;

  /** Aborts once, with `reason` (an AbortError DOMException by default, as AbortController does). */
  abort(reason: unknown = new DOMException('This operation was aborted', 'AbortError')): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = undefined;
    if (!listeners) return;
    for (const listener of listeners) {
      try {
        listener();
      } catch (error) {
        // As EventTarget does: a throwing listener neither stops the others nor the abort.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /** Called once on abort; never when added after it (as an aborted AbortSignal never dispatches again). */
  addEventListener(type: 'abort', listener: () => void): void {
    if (type !== 'abort' || this.aborted) return;
    this.listeners ??= [];
    if (!this.listeners.includes(listener)) this.listeners.push(listener);
  }

  removeEventListener(type: 'abort', listener: () => void): void {
    const listeners = this.listeners;
    if (type !== 'abort' || !listeners) return;
    const at = listeners.indexOf(listener);
    if (at >= 0) listeners.splice(at, 1);
  }

  /** This cancellation where a library's types ask for an AbortSignal (undici, cockatiel: see above). */
  asAbortSignal(): AbortSignal {
    return this as unknown as AbortSignal;
  }
}
