import { describe, expect, it } from 'vitest';
import { appRouteOfFile, routeMatchesPath } from './app-route-of-file';

describe('appRouteOfFile', () => {
  it.each([
    ['/api/items/route', '/api/items'],
    ['/api/items/[id]/route', '/api/items/[id]'],
    ['/(shop)/api/(v1)/items/route', '/api/items'],
    ['/@modal/api/items/route', '/api/items'],
    ['/route', '/'],
    ['/(group)/route', '/'],
    ['/api/route/route', '/api/route'],
    ['/api/(.)photo/route', '/api/(.)photo'],
    ['/api/[...slug]/route', '/api/[...slug]'],
  ])('%s is the route %s', (file, route) => {
    expect(appRouteOfFile(file)).toBe(route);
  });
});

describe('routeMatchesPath', () => {
  it.each([
    ['/api/items', '/api/items', true],
    ['/api/items', '/api/items/', true],
    ['/api/items', '/api/item', false],
    ['/api/items/[id]', '/api/items/7', true],
    ['/api/items/[id]', '/api/items', false],
    ['/api/items/[id]', '/api/items/7/x', false],
    ['/docs/[...slug]', '/docs/a/b', true],
    ['/docs/[...slug]', '/docs', false],
    ['/shop/[[...slug]]', '/shop', true],
    ['/shop/[[...slug]]', '/shop/a/b', true],
    ['/', '/', true],
    ['/api/route', '/api/route', true],
    ['/api/route/route', '/api/route', false],
  ])('%s against %s: %s', (route, path, matches) => {
    expect(routeMatchesPath(route, path)).toBe(matches);
  });
});
