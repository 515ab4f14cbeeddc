// oidc-provider ships no type declarations; the test drives it through a handful of calls.
declare module 'oidc-provider' {
  // biome-ignore lint/suspicious/noExplicitAny: untyped third-party module, used only in tests
  const Provider: any;
  export default Provider;
}
