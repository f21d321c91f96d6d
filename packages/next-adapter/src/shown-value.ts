/**
 * An option's value as a `diag` message shows it without reading it: a string quoted, anything
 * else by its type (a getter or a Proxy could throw, an object could be large).
 */
export function shownValue(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : `of type ${typeof value}`;
}
