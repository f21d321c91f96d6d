import { describe, expect, it } from 'vitest';
import { redactQuery, redactUrlQuery } from './redact-query';

// HTTP semantic conventions, url.full and url.query: "Query string values for the following keys
// SHOULD be redacted by default and replaced by the value REDACTED" (AWSAccessKeyId, Signature,
// sig, X-Goog-Signature), the key preserved; and "Sensitive content … SHOULD be scrubbed when
// instrumentations can identify it" (S3's SigV4 presigned URLs).
describe('redactQuery', () => {
  it("replaces the values of the conventions' keys and keeps everything else", () => {
    expect(redactQuery('color=blue&sig=abc%2Fdef')).toBe('color=blue&sig=REDACTED');
    expect(
      redactQuery('AWSAccessKeyId=AKIA&Expires=1700000000&Signature=vjbyPxybd%2BZ%3D&x=1'),
    ).toBe('AWSAccessKeyId=REDACTED&Expires=1700000000&Signature=REDACTED&x=1');
    expect(redactQuery('X-Goog-Algorithm=GOOG4&X-Goog-Signature=0123abcd')).toBe(
      'X-Goog-Algorithm=GOOG4&X-Goog-Signature=REDACTED',
    );
  });

  it("redacts an S3 SigV4 presigned URL's credential, session token and signature", () => {
    expect(
      redactQuery(
        'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20261206%2Fus-east-1%2Fs3%2Faws4_request' +
          '&X-Amz-Date=20261206T000000Z&X-Amz-Expires=3600&X-Amz-Security-Token=IQoJb3&X-Amz-SignedHeaders=host' +
          '&X-Amz-Signature=2ee1c9e6',
      ),
    ).toBe(
      'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=REDACTED&X-Amz-Date=20261206T000000Z' +
        '&X-Amz-Expires=3600&X-Amz-Security-Token=REDACTED&X-Amz-SignedHeaders=host&X-Amz-Signature=REDACTED',
    );
  });

  it('leaves other keys, keys without a value and other cases alone', () => {
    for (const query of ['', 'q=signature', 'design=1', 'sig', 'SIG=1', 'signature=1', 'a=sig']) {
      expect(redactQuery(query)).toBe(query);
    }
  });
});

describe('redactUrlQuery', () => {
  it('redacts in the query only, keeping the path and the fragment', () => {
    expect(redactUrlQuery('https://b.blob.core.windows.net/c/sig?sv=2022&sig=xyz#part')).toBe(
      'https://b.blob.core.windows.net/c/sig?sv=2022&sig=REDACTED#part',
    );
    expect(redactUrlQuery('https://a.example/sig#sig=1')).toBe('https://a.example/sig#sig=1');
  });
});
