/**
 * Next.js's `redirect()` / `permanentRedirect()` and `notFound()` / `forbidden()` /
 * `unauthorized()` work by throwing an error with a `digest`, which Next.js turns into the
 * response it stands for when a route handler throws it; a prerender (at build time or on
 * revalidation) that meets request data gives up by throwing `DYNAMIC_SERVER_USAGE`,
 * `NEXT_PRERENDER_INTERRUPTED` or `HANGING_PROMISE_REJECTION`. None of them is a failure of the
 * handler.
 *
 * Returns the status of the response Next.js 16 makes of such a throw from a route handler, 0 for
 * a prerender's bail-out (no response), undefined for any other throw, recognized as Next.js
 * recognizes them: `NEXT_REDIRECT;<replace|push>;<url>;<303|307|308>;` (Next.js answers 303
 * instead for a POST it takes for a possible server action: a `Next-Action` header or a form's
 * content type), `NEXT_HTTP_ERROR_FALLBACK;<401|403|404>`, `NEXT_NOT_FOUND` (`notFound()` before
 * Next.js 15.1). Never throws.
 */
export function controlFlowStatus(error: unknown, request: Request): number | undefined {
  return digestStatus(error, () => isPossibleServerAction(request));
}

/** Whether `error` is one of the throws `controlFlowStatus` recognizes. Never throws. */
export function isControlFlow(error: unknown): boolean {
  return digestStatus(error, () => false) !== undefined;
}

function digestStatus(error: unknown, serverAction: () => boolean): number | undefined {
  try {
    if (typeof error !== 'object' || error === null) return undefined;
    const digest = (error as { digest?: unknown }).digest;
    if (typeof digest !== 'string') return undefined;
    if (PRERENDER_BAILOUTS.includes(digest)) return 0;
    if (digest === 'NEXT_NOT_FOUND') return 404;
    const parts = digest.split(';');
    if (parts[0] === 'NEXT_REDIRECT') {
      // the URL may itself hold ';': the status is the next-to-last part
      const status = +parts[parts.length - 2]!;
      if ((parts[1] !== 'replace' && parts[1] !== 'push') || !REDIRECT_STATUSES.includes(status)) {
        return undefined;
      }
      return serverAction() ? 303 : status;
    }
    if (parts[0] === 'NEXT_HTTP_ERROR_FALLBACK' && parts.length === 2) {
      const status = +parts[1]!;
      return FALLBACK_STATUSES.includes(status) ? status : undefined;
    }
    return undefined;
  } catch {
    return undefined;
  }
}

const PRERENDER_BAILOUTS = [
  'DYNAMIC_SERVER_USAGE',
  'NEXT_PRERENDER_INTERRUPTED',
  'HANGING_PROMISE_REJECTION',
];
const REDIRECT_STATUSES = [303, 307, 308];
const FALLBACK_STATUSES = [401, 403, 404];

function isPossibleServerAction(request: Request): boolean {
  if (request.method !== 'POST') return false;
  const headers = request.headers;
  if (headers.has('next-action')) return true;
  const type = headers.get('content-type');
  return (
    type !== null &&
    (type === 'application/x-www-form-urlencoded' || type.startsWith('multipart/form-data'))
  );
}
