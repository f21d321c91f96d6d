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
