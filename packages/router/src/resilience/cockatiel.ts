/**
 * cockatiel loads with the first provider call, not at start-up: importing it costs about 60 ms of
 * CPU and 150 ms of wall time on the project's machines, which the router's cold start would pay
 * before it could answer /healthz.
 */
type Cockatiel = typeof import('cockatiel');

let loaded: Cockatiel | undefined;
let loading: Promise<Cockatiel> | undefined;

export async function loadCockatiel(): Promise<Cockatiel> {
  loading ??= import('cockatiel');
  loaded ??= await loading;
  return loaded;
}

/** The loaded module, or undefined before {@link loadCockatiel} has resolved once (no promise to await). */
export function loadedCockatiel(): Cockatiel | undefined {
  return loaded;
}

/** The loaded module; only after {@link loadCockatiel} has resolved once. */
export function cockatiel(): Cockatiel {
  if (!loaded) throw new Error('cockatiel is not loaded yet: await loadCockatiel() first');
  return loaded;
}
