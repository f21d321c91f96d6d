import type { RequestOrigins } from './request-scope';

/**
 * Where outbound `fetch` calls carry trace headers: a list of origins (`https://api.example.com`),
 * hosts (`api.example.com`, `*.internal`) or regular expressions tested against the full URL; or a
 * predicate, given the origin of `request.url`. Default: the origin of the request being handled,
 * as `request.url` has it or as the client named it (its host headers).
 */
export type PropagationTargets =
  | ReadonlyArray<string | RegExp>
  | ((url: URL, requestOrigin: string | undefined) => boolean);

/** Whether `url` may receive trace headers. Never throws: a throwing predicate means no. */
export function shouldPropagate(
  targets: PropagationTargets | undefined,
  url: URL,
  scope: RequestOrigins | undefined,
): boolean {
  if (targets === undefined) {
    return scope !== undefined && (url.origin === scope.origin || url.origin === scope.hostOrigin);
  }
  if (typeof targets === 'function') {
    try {
      return targets(url, scope?.origin) === true;
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
