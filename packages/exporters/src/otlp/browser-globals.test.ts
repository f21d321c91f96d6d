import { describe, expect, it } from 'vitest';
import { USER_AGENT } from '../runtime/edge';
import { VERSION } from '../version';
import { isBrowser } from './browser-globals';

describe('User-Agent outside Node (protocol/exporter.md: OTLP exporters SHOULD emit a User-Agent)', () => {
  it('is left out in a browser page or worker only', () => {
    expect(isBrowser({ document: {} })).toBe(true);
    expect(isBrowser({ importScripts: () => {} })).toBe(true);
    expect(isBrowser({ navigator: { userAgent: 'Cloudflare-Workers' } })).toBe(false);
  });

  it('is sent here: Node, and the edge runtime VM of the edge project', () => {
    expect(USER_AGENT).toBe(`spanlite-otlp-exporter-javascript/${VERSION}`);
  });
});
