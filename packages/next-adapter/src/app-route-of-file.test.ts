import { describe, expect, it } from 'vitest';
import { appRouteOfFile } from './app-route-of-file';

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
