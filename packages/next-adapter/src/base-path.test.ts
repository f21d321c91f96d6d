import { describe, expect, it } from 'vitest';
import { resolveBasePath, underBasePath } from './base-path';

describe('underBasePath', () => {
  it.each([
    ['/docs', '/api/items', '/docs/api/items'],
    ['/docs', '/', '/docs'],
    ['/docs', 'api/items', '/docs/api/items'],
    // given with the basePath already: not twice
    ['/docs', '/docs/api/items', '/docs/api/items'],
    ['/docs', '/docs', '/docs'],
    ['/docs', '/docsearch', '/docs/docsearch'],
    ['', '/api/items', '/api/items'],
  ])('puts %j in front of %j: %j', (basePath, route, expected) => {
    expect(underBasePath(basePath, route)).toBe(expected);
  });
});

describe('resolveBasePath', () => {
  it('takes the option, without a trailing slash, and ignores one that is no path', () => {
    expect(resolveBasePath('/docs/')).toBe('/docs');
    expect(resolveBasePath('/')).toBe('');
    expect(resolveBasePath('')).toBe('');
    expect(resolveBasePath('docs')).toBe('');
    expect(resolveBasePath(42 as never)).toBe('');
  });
});
