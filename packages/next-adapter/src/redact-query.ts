/**
 * Query keys whose values are replaced with `REDACTED` in `url.full` and `url.query`, the key
 * kept: the four the HTTP semantic conventions list (S3's SigV2, Azure SAS and Google Cloud
 * Storage signed URLs) and the credentials of S3's SigV4 presigned URLs, which is what S3 signs
 * today (the conventions: "Sensitive content … SHOULD be scrubbed when instrumentations can
 * identify it"). Matched as written: the conventions ask for case-sensitive keys.
 */
const SENSITIVE_KEYS = [
  'AWSAccessKeyId',
  'Signature',
  'sig',
  'X-Goog-Signature',
  'X-Amz-Signature',
  'X-Amz-Credential',
  'X-Amz-Security-Token',
];

/** `query` (without its `?`) with the sensitive keys' values redacted. */
export function redactQuery(query: string): string {
  // 'Signature' is also in the X-Goog- and X-Amz- keys; most queries hold none of the keys
  if (
    !query.includes('sig') &&
    !query.includes('Signature') &&
    !query.includes('AWSAccessKeyId') &&
    !query.includes('X-Amz-')
  ) {
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
