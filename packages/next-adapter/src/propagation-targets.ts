/**
 * Where outbound `fetch` calls carry trace headers: a list of origins (`https://api.example.com`),
 * hosts (`api.example.com`, `*.internal`) or regular expressions tested against the full URL; or a
 * predicate. Default: the origin of the request being handled.
 */
export type PropagationTargets =
  | ReadonlyArray<string | RegExp>
  | ((url: URL, requestOrigin: string | undefined) => boolean);

/** Whether `url` may receive trace headers. Never throws: a throwing predicate means no. */
export function shouldPropagate(
  targets: PropagationTargets | undefined,
  url: URL,
  requestOrigin: string | undefined,
): boolean {
  if (targets === undefined) return requestOrigin !== undefined && url.origin === requestOrigin;
  if (typeof targets === 'function') {
    try {
      return targets(url, requestOrigin) === true;
    } catch {
      return false;
    }
  }
  for (const target of targets) {
    if (typeof target === 'string') {
      if (matchesString(target, url)) return true;
    } else if (target instanceof RegExp) {
      target.lastIndex = 0;
      if (target.test(url.href)) return true;
    }
  }
  return false;
}

function matchesString(target: string, url: URL): boolean {
  if (target.includes('://')) return url.origin === target.replace(/\/+$/, '');
  const host = target.toLowerCase();
  if (host.startsWith('*.')) return url.hostname.endsWith(host.slice(1));
  return url.host === host || url.hostname === host;
}
