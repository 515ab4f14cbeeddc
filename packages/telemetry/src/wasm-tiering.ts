import v8 from 'node:v8';

/**
 * Keeps WebAssembly on V8's baseline compiler (Liftoff): no function is recompiled by TurboFan.
 *
 * The one WebAssembly a service runs is undici's HTTP parser (llhttp), whose parse function is one large
 * state machine. Soon after the first responses V8 finds it hot and recompiles it with TurboFan on a worker
 * thread: ~200 ms of CPU and ~30 MB of compiler memory, malloc'd and freed again within a quarter of a
 * second. That transient was the MCP server's peak: RSS 80 -> 111-124 MB right after its first tools/call
 * (sampled every 2 ms, `perf record -g`: `wasm::BackgroundCompileJob` -> `ExecuteTurbofanWasmCompilation`
 * while it rose; gone with `--liftoff-only`, unchanged with `--no-opt`, which stops only JavaScript's
 * TurboFan). V8 reads the flag when it compiles a module and when it would tier one up, and undici compiles
 * llhttp on its first connection, so a bin sets it before it makes any request.
 */
export function keepWasmOnLiftoff(): void {
  v8.setFlagsFromString('--liftoff-only');
}
