import { expect, it } from 'vitest';
import { platformAttributes } from './platform-resource';

// The node build's resource (the edge build describes an edge runtime whatever runs it).
it("names Bun or Deno when they run Next.js's Node.js runtime, with their own version", () => {
  const g = globalThis as { process?: unknown; Deno?: unknown };
  const saved = { process: g.process, Deno: g.Deno };
  try {
    // both report the Node.js version they are compatible with, too
    g.process = { versions: { node: '26.3.0', bun: '1.4.5' }, env: {} };
    expect(platformAttributes({ NEXT_RUNTIME: 'nodejs' })).toEqual({
      'process.runtime.name': 'bun',
      'process.runtime.version': '1.4.5',
    });
    g.process = { versions: { node: '26.3.0' }, env: {} };
    g.Deno = { version: { deno: '2.9.6' } };
    expect(platformAttributes({ NEXT_RUNTIME: 'nodejs' })).toEqual({
      'process.runtime.name': 'deno',
      'process.runtime.version': '2.9.6',
    });
    // an edge route is `edge` whatever runs it
    expect(platformAttributes({ NEXT_RUNTIME: 'edge' })).toEqual({
      'process.runtime.name': 'edge',
    });
  } finally {
    g.process = saved.process;
    if (saved.Deno === undefined) delete g.Deno;
    else g.Deno = saved.Deno;
  }
});

it('names workerd in Cloudflare Workers, for either build and with or without NEXT_RUNTIME (OpenNext)', () => {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  Object.defineProperty(globalThis, 'navigator', {
    value: { userAgent: 'Cloudflare-Workers' },
    configurable: true,
  });
  try {
    for (const env of [{}, { NEXT_RUNTIME: 'nodejs' }, { NEXT_RUNTIME: 'edge' }]) {
      expect(platformAttributes(env)).toEqual({ 'process.runtime.name': 'workerd' });
    }
  } finally {
    if (saved === undefined) delete (globalThis as { navigator?: unknown }).navigator;
    else Object.defineProperty(globalThis, 'navigator', saved);
  }
});
