import { describe, expect, it } from 'vitest';
import { readPartialSuccess } from './partial-success';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('readPartialSuccess', () => {
  it('reads a protobuf ExportTraceServiceResponse', () => {
    // partial_success { rejected_spans: 300, error_message: "too big" }
    const body = new Uint8Array([0x0a, 0x0c, 0x08, 0xac, 0x02, 0x12, 0x07, ...utf8('too big')]);
    expect(readPartialSuccess(body, 'application/x-protobuf')).toEqual({
      rejectedSpans: 300,
      errorMessage: 'too big',
    });
  });

  it('reads the JSON form, with the int64 as a string or a number', () => {
    expect(
      readPartialSuccess(
        utf8('{"partialSuccess":{"rejectedSpans":"2","errorMessage":"x"}}'),
        'application/json',
      ),
    ).toEqual({ rejectedSpans: 2, errorMessage: 'x' });
    expect(
      readPartialSuccess(
        utf8('{"partialSuccess":{"rejectedSpans":3}}'),
        'application/json; charset=utf-8',
      ),
    ).toEqual({
      rejectedSpans: 3,
      errorMessage: '',
    });
  });

  it('sees no partial success in empty or fully successful responses', () => {
    expect(readPartialSuccess(new Uint8Array(0), 'application/x-protobuf')).toBeUndefined();
    expect(readPartialSuccess(utf8('{}'), 'application/json')).toBeUndefined();
    expect(readPartialSuccess(utf8('{"partialSuccess":{}}'), 'application/json')).toBeUndefined();
    expect(readPartialSuccess(new Uint8Array([0x0a, 0x00]), null)).toBeUndefined();
  });

  it('ignores unreadable bodies instead of throwing', () => {
    expect(readPartialSuccess(new Uint8Array([0x0a, 0x7f, 0x08]), null)).toBeUndefined();
    expect(readPartialSuccess(utf8('<html>'), 'application/json')).toBeUndefined();
    expect(readPartialSuccess(utf8('<html>'), 'text/html')).toBeUndefined();
  });

  it('keeps a message fit for a log line: control characters as spaces, cut to 512 characters', () => {
    const message = `bad\nFAKE LOG LINE \u001b[31m${'x'.repeat(1000)}`;
    const body = utf8(
      JSON.stringify({ partialSuccess: { rejectedSpans: 1, errorMessage: message } }),
    );
    const read = readPartialSuccess(body, 'application/json')!;
    expect(read.errorMessage).toMatch(/^bad FAKE LOG LINE {2}\[31mx+…$/);
    expect(read.errorMessage).toHaveLength(513);
  });

  it('cuts a long message before a surrogate pair, not inside it, and blanks separators and bidi overrides', () => {
    const message = `${'x'.repeat(511)}😀 tail`;
    const body = utf8(
      JSON.stringify({ partialSuccess: { rejectedSpans: 1, errorMessage: message } }),
    );
    expect(readPartialSuccess(body, 'application/json')!.errorMessage).toBe(`${'x'.repeat(511)}…`);
    const forged = utf8(
      JSON.stringify({ partialSuccess: { errorMessage: 'a\u2028b\u202ec\u2066d' } }),
    );
    expect(readPartialSuccess(forged, 'application/json')!.errorMessage).toBe('a b c d');
  });
});
