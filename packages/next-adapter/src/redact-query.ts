/**
 * Query keys whose values the HTTP semantic conventions say to replace with `REDACTED` in
 * `url.full` and `url.query` (signed-URL credentials of S3, Azure and Google Cloud Storage); the
 * key stays. The keys are matched as written (the conventions list them case-sensitively).
 */
const SENSITIVE_KEYS = ['AWSAccessKeyId', 'Signature', 'sig', 'X-Goog-Signature'];

/** `query` (without its `?`) with the sensitive keys' values redacted. */
export function redactQuery(query: string): string {
  // 'Signature' is also in 'X-Goog-Signature'; most queries hold none of the keys
  if (!query.includes('sig') && !query.includes('Signature') && !query.includes('AWSAccessKeyId')) {
    return query;
  }
  const pairs = query.split('&');
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i]!;
    const equals = pair.indexOf('=');
    if (equals !== -1 && SENSITIVE_KEYS.includes(pair.slice(0, equals))) {
      pairs[i] = `${pair.slice(0, equals)}=REDACTED`;
    }
  }
  return pairs.join('&');
}

/** A URL's text with the sensitive query values redacted; the fragment is kept. */
export function redactUrlQuery(href: string): string {
  const question = href.indexOf('?');
  if (question === -1) return href;
  const hash = href.indexOf('#', question);
  const end = hash === -1 ? href.length : hash;
  const query = href.slice(question + 1, end);
  const redacted = redactQuery(query);
  return redacted === query ? href : href.slice(0, question + 1) + redacted + href.slice(end);
}
