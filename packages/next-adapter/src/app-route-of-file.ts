/**
 * The route of an App Router route file's path (`/(shop)/api/items/[id]/route` →
 * `/api/items/[id]`), as Next.js 16 names its request spans: without route groups `(…)`, parallel
 * route slots `@…` and the file name `route` at the end.
 */
export function appRouteOfFile(path: string): string {
  const segments = path.split('/');
  let route = '';
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment === '' || segment[0] === '@') continue;
    if (segment[0] === '(' && segment[segment.length - 1] === ')') continue;
    if (segment === 'route' && i === segments.length - 1) continue;
    route += `/${segment}`;
  }
  return route === '' ? '/' : route;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Whether the route template `route` (`/api/items/[id]`, `/docs/[...slug]`,
 * `/shop/[[...slug]]`) matches the request path `path` (percent-encoded, as in a URL).
 */
export function routeMatchesPath(route: string, path: string): boolean {
  const want = route.split('/').filter((s) => s !== '');
  const have = path
    .split('/')
    .filter((s) => s !== '')
    .map(decodeSegment);
  for (let i = 0; i < want.length; i++) {
    const segment = want[i]!;
    if (segment.startsWith('[[...')) return i === want.length - 1;
    if (segment.startsWith('[...')) return i === want.length - 1 && have.length > i;
    if (i >= have.length) return false;
    if (segment[0] === '[' && segment[segment.length - 1] === ']') continue;
    if (segment !== have[i]) return false;
  }
  return want.length === have.length;
}
