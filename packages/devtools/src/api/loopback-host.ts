import { isIPv4 } from 'node:net';

/**
 * The guard against DNS rebinding. A page on `attacker.example` can have its name resolve to
 * 127.0.0.1 after it loaded, and then read this machine's local servers as its own origin: the
 * browser sees no cross-origin request, so no CORS rule applies. What gives it away is the `Host`
 * header, which still names `attacker.example`. A server listening on loopback only is reached,
 * legitimately, under a loopback name or address; any other Host is refused.
 */

/** An address the server listens on that only this machine can reach. */
export function isLoopbackAddress(address: string): boolean {
  return (
    address === '::1' ||
    (isIPv4(address) && address.startsWith('127.')) ||
    /^::ffff:127\./i.test(address)
  );
}

/**
 * A `Host` header that names this machine's loopback: `localhost` (or a `*.localhost` name,
 * which browsers resolve to loopback themselves), an IPv4 address in 127.0.0.0/8, or `[::1]`,
 * with any port. A request without a Host (HTTP/1.0; browsers always send one) passes too.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return true;
  // Only a host and a port: the URL parser would also take user info, a path or a query.
  if (/[@/\\?#\s]/.test(host)) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  if (hostname.endsWith('.')) hostname = hostname.slice(0, -1);
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '[::1]' ||
    (isIPv4(hostname) && hostname.startsWith('127.')) ||
    /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(hostname)
  );
}
