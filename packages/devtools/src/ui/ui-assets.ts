/**
 * Serves the built waterfall view (`dist/ui/`: index.html, app.js, style.css) for the devtools
 * server. Node only. The files are read once, on first request, and kept in memory.
 */

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface UiAsset {
  status: number;
  contentType: string;
  body: Buffer | string;
  /** Headers to send with the asset (content type included). */
  headers: Record<string, string>;
}

const FILES: Record<string, { file: string; contentType: string }> = {
  '/': { file: 'index.html', contentType: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', contentType: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', contentType: 'text/javascript; charset=utf-8' },
  '/app.js.map': { file: 'app.js.map', contentType: 'application/json; charset=utf-8' },
  '/style.css': { file: 'style.css', contentType: 'text/css; charset=utf-8' },
};

const SECURITY_HEADERS = {
  'cache-control': 'no-cache',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // The page loads only its own script and stylesheet and talks only to this server.
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

/**
 * The directory of the built UI: `ui/` next to the running module (dist/index.js → dist/ui/), or,
 * when this file runs from source (tests), the package's `dist/ui/`.
 */
export function uiDirectory(): string {
  const candidates = [
    new URL('./ui/', import.meta.url),
    new URL('../../dist/ui/', import.meta.url),
  ];
  for (const url of candidates) {
    const dir = fileURLToPath(url);
    if (existsSync(`${dir}index.html`)) return dir;
  }
  return fileURLToPath(candidates[0]);
}

/**
 * Makes a `serveUi` over the given directory. It answers the UI's paths and returns `undefined` for
 * any other path, so the caller goes on to its API routes and 404.
 */
export function createUiServer(
  dir: string = uiDirectory(),
): (pathname: string) => UiAsset | undefined {
  const cache = new Map<string, Buffer>();
  const folder = dir.endsWith('/') ? dir : `${dir}/`;
  return (pathname) => {
    const entry = FILES[pathname];
    if (!entry) return undefined;
    let body = cache.get(entry.file);
    if (!body) {
      try {
        body = readFileSync(`${folder}${entry.file}`);
      } catch {
        if (entry.file === 'app.js.map') return undefined;
        const message = `The waterfall view is not built (${folder}${entry.file} is missing): run \`npm run build\` in packages/devtools.\n`;
        return {
          status: 503,
          contentType: 'text/plain; charset=utf-8',
          body: message,
          headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' },
        };
      }
      cache.set(entry.file, body);
    }
    return {
      status: 200,
      contentType: entry.contentType,
      body,
      headers: { ...SECURITY_HEADERS, 'content-type': entry.contentType },
    };
  };
}

let defaultServer: ((pathname: string) => UiAsset | undefined) | undefined;

/** Serves `/`, `/index.html`, `/app.js`, `/style.css` from the built UI; `undefined` for other paths. */
export function serveUi(pathname: string): UiAsset | undefined {
  defaultServer ??= createUiServer();
  return defaultServer(pathname);
}
