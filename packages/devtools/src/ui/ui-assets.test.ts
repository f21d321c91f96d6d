import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createUiServer } from './ui-assets';

describe('createUiServer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spanlite-ui-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  writeFileSync(join(dir, 'style.css'), 'body{}');

  it('serves the page, script and stylesheet with their types and a CSP', () => {
    const serve = createUiServer(dir);
    const page = serve('/');
    expect(page).toMatchObject({ status: 200, contentType: 'text/html; charset=utf-8' });
    expect(String(page?.body)).toBe('<!doctype html>');
    expect(page?.headers['content-security-policy']).toContain("script-src 'self'");
    expect(serve('/style.css')?.contentType).toBe('text/css; charset=utf-8');
  });

  it('leaves other paths to the caller', () => {
    const serve = createUiServer(dir);
    for (const path of ['/traces/query', '/v1/traces', '/../package.json', '/ui/app.js']) {
      expect(serve(path)).toBeUndefined();
    }
  });

  it('answers 503 with a hint when the UI is not built', () => {
    const serve = createUiServer(join(dir, 'missing'));
    const script = serve('/app.js');
    expect(script?.status).toBe(503);
    expect(String(script?.body)).toContain('npm run build');
    expect(serve('/app.js.map')).toBeUndefined();
  });
});
