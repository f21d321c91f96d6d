import { diag } from '@opentelemetry/api';
import { type EnvSource, readEnvString } from '@spanlite/core';
import type { RequestOrigins } from './request-scope';
import { shownValue } from './shown-value';

/**
 * Where outbound `fetch` calls carry trace headers: a list of URLs (`https://api.example.com`, an
 * origin, or `https://api.example.com/v1`, the paths below it; `https://*.example.com` for its
 * subdomains), hosts (`api.example.com`, `*.internal`), `'*'` (every destination) or regular
 * expressions tested against the full URL; or a predicate, given the origin of `request.url`.
 * Default: the origin of the request being handled, as `request.url` has it or as the client
 * named it (its host headers), and on Vercel the deployment's own URLs.
 */
export type PropagationTargets =
  | ReadonlyArray<string | RegExp>
  | ((url: URL, requestOrigin: string | undefined) => boolean);

/** Whether a call to `url`, made while handling the request of `scope`, may carry trace headers. */
export type PropagationTest = (url: URL, scope: RequestOrigins | undefined) => boolean;

type Matcher = (url: URL) => boolean;

/**
 * The test `propagateTo` describes, its list read once. Never throws, nor does the test: a
 * throwing predicate means no. An entry that could match no URL (`'http://'`, a host with a path)
 * is reported through `diag` and skipped.
 */
export function propagationTest(
  targets: PropagationTargets | undefined,
  env: EnvSource,
): PropagationTest {
  if (typeof targets === 'function') {
    return (url, scope) => {
      try {
        return targets(url, scope?.origin) === true;
      } catch {
        return false;
      }
    };
  }
  if (targets === undefined) {
    const deployment = vercelOrigins(env);
    return (url, scope) =>
      (scope !== undefined && (url.origin === scope.origin || url.origin === scope.hostOrigin)) ||
      deployment.includes(url.origin);
  }
  const matchers: Matcher[] = [];
  // a lone entry, as if listed
  for (const target of Array.isArray(targets) ? targets : [targets]) {
    const matcher = matcherOf(target);
    if (matcher !== undefined) matchers.push(matcher);
    else
      diag.warn(`@spanlite/next: propagateTo entry ${shownValue(target)} matches no URL; skipped`);
  }
  return (url) => {
    for (const matches of matchers) if (matches(url)) return true;
    return false;
  };
}

/**
 * On Vercel, the origins the deployment answers at besides the one a request came in by (its own
 * URL, its branch's, and in production the project's production domain): an app
 * reached at its custom domain that calls itself at `https://${VERCEL_URL}` (a tRPC client's
 * base URL, say) continues the trace there.
 */
function vercelOrigins(env: EnvSource): string[] {
  const origins: string[] = [];
  if (readEnvString(env, 'VERCEL') !== '1') return origins;
  const names = ['VERCEL_URL', 'VERCEL_BRANCH_URL'];
  // the production domain, only in production: a preview's calls to it go to another deployment
  if (readEnvString(env, 'VERCEL_ENV') === 'production')
    names.push('VERCEL_PROJECT_PRODUCTION_URL');
  for (const name of names) {
    const host = readEnvString(env, name);
    if (host === undefined) continue;
    try {
      origins.push(new URL(`https://${host}`).origin);
    } catch {
      // not a host name: no origin of the deployment
    }
  }
  return origins;
}

function matcherOf(target: unknown): Matcher | undefined {
  if (target instanceof RegExp) {
    return (url) => {
      target.lastIndex = 0;
      return target.test(url.href);
    };
  }
  if (typeof target !== 'string') return undefined;
  if (target === '*') return () => true;
  if (target.includes('://')) return urlMatcher(target);
  const host = target.toLowerCase();
  // a name or an IPv4 address (`*.` in front for subdomains), or an IPv6 one in brackets, and a
  // port: `api.example.com/v1`, `::1` or `https:api.example.com` would match no URL
  if (!/^((\*\.)?[^\s/?#@*:[\]]+|\[[\da-f:.]+\])(:\d+)?$/.test(host)) return undefined;
  if (host.startsWith('*.')) {
    const suffix = host.slice(1);
    // `*.example.com:8080`: the port too, as `url.host` writes it
    return /:\d+$/.test(host)
      ? (url) => url.host.endsWith(suffix)
      : (url) => url.hostname.endsWith(suffix);
  }
  return (url) => url.host === host || url.hostname === host;
}

/** `https://api.example.com`: that origin; with a path, the path and those below it. */
function urlMatcher(target: string): Matcher | undefined {
  let parsed: URL;
  try {
    parsed = new URL(target);
  } catch {
    return undefined;
  }
  const path = parsed.pathname.replace(/\/+$/, '');
  const below = (url: URL) =>
    path === '' || url.pathname === path || url.pathname.startsWith(`${path}/`);
  const { protocol, hostname, port, origin } = parsed;
  // `*` only as the first label; no pattern in the path, no query, fragment or credentials (they
  // would be ignored, and the entry allow more than it says)
  if (
    !/^https?:$/.test(protocol) ||
    hostname.lastIndexOf('*') > (hostname.startsWith('*.') ? 0 : -1) ||
    path.includes('*') ||
    `${parsed.search}${parsed.hash}${parsed.username}${parsed.password}` !== ''
  ) {
    return undefined;
  }
  if (hostname.startsWith('*.')) {
    const suffix = hostname.slice(1);
    return (url) =>
      url.protocol === protocol && url.port === port && url.hostname.endsWith(suffix) && below(url);
  }
  return (url) => url.origin === origin && below(url);
}
