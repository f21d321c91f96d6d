/**
 * Next.js's `redirect()` / `permanentRedirect()` and `notFound()` / `forbidden()` /
 * `unauthorized()` work by throwing an error with a `digest`, which Next.js turns into the
 * response they stand for; a static prerender that meets a dynamic API (`headers()`, …) throws
 * `DYNAMIC_SERVER_USAGE` to give up prerendering. None of them is a failure of the handler.
 *
 * Returns the status such a throw stands for (3xx, 4xx), 0 for one with no status, undefined for
 * any other throw. The digests: `NEXT_REDIRECT;<replace|push>;<url>;<status>;` and
 * `NEXT_HTTP_ERROR_FALLBACK;<status>` (Next.js 15.1 on; `NEXT_NOT_FOUND` before).
 */
export function controlFlowStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const digest = (error as { digest?: unknown }).digest;
  if (typeof digest !== 'string') return undefined;
  if (digest === 'DYNAMIC_SERVER_USAGE') return 0;
  // notFound() before Next.js 15.1
  if (digest === 'NEXT_NOT_FOUND') return 404;
  const parts = digest.split(';');
  if (parts[0] === 'NEXT_REDIRECT') {
    // the URL may itself hold ';': the status is the next-to-last part
    const status = +parts[parts.length - 2]!;
    return status >= 300 && status < 400 ? status : undefined;
  }
  if (parts[0] === 'NEXT_HTTP_ERROR_FALLBACK') {
    const status = +parts[1]!;
    return status >= 400 && status < 500 ? status : undefined;
  }
  return undefined;
}
