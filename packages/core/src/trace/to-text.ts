/** `String(value)`, except that it cannot throw (a null-prototype object or a hostile toString). */
export function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return String(value);
  } catch {
    try {
      return Object.prototype.toString.call(value);
    } catch {
      return '(unprintable)'; // a revoked Proxy
    }
  }
}
