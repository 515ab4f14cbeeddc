// autocannon ships no type definitions; the harness types the few result fields it reads in bench/load.mjs.
declare module 'autocannon' {
  interface Instance {
    on(
      event: 'response',
      listener: (client: unknown, statusCode: number, bytes: number, ms: number) => void,
    ): void;
  }
  const autocannon: (
    options: Record<string, unknown>,
    callback: (error: Error | null, result: unknown) => void,
  ) => Instance;
  export default autocannon;
}
