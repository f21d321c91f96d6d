/**
 * `Reflect.apply`, read once: calls a user's function with a `this` and arguments without going
 * through its `call`, `apply` or `bind`, which it may have of its own.
 */
export const apply: typeof Reflect.apply = Reflect.apply;
