/** Whether this is Cloudflare's runtime, workerd: it says so in `navigator.userAgent`. */
export function inWorkerd(): boolean {
  return (
    (globalThis as { navigator?: { userAgent?: unknown } }).navigator?.userAgent ===
    'Cloudflare-Workers'
  );
}
