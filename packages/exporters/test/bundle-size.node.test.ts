import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// Gzipped bytes of everything @spanlite/exporters adds to an edge bundle (its peers, core and
// @opentelemetry/api, excluded). Measured at 8.4 KB (23 KB minified) when the ceiling was set; raise it only on
// purpose, in the commit that needs it. Raised from 9,500 to 11,000 for the faster encoders (byte-level
// JSON writer, copies of repeated fields): 10.4 KB. Lowered to 10,600 at 10.36 KB (measured from
// src/, so without the renaming of `_private` members that dist/ gets). Raised to 10,700 at 10.65 KB
// for the OTLP configuration's conformance checks (headers fetch cannot send, timeouts) and the
// shutdown signal that Cloudflare Workers accept across requests (an AbortSignal they do not).
// Raised to 10,800 at 10.74 KB: a 2xx whose body then fails is delivered, not sent again; a
// Retry-After that is neither delay-seconds nor an HTTP date is ignored.
// 2026-12-06: raised to 11,300 at 11.23 KB (HEAD 10.79 KB) for the configuration review fixes: a
// user name and password dropped from the endpoint URL, one warning for the certificate variables,
// W3C Baggage's lenient percent-decoding of the headers variables (+0.12 KB each), the console
// exporter's units and shutdown; the environment is read by core's readEnvString.
// 2026-12-06 (third session): 11,305 B with a trace state that cannot serialize itself (a link's
// span context that went through JSON) encoded as none instead of failing the batch: raised to
// 11,325. 11,368 B with the User-Agent sent from the edge build outside browsers (edge functions,
// Workers, Deno): raised to 11,400. 11,407 B with the endpoint's query left out of failure
// messages: raised to 11,425.
// 2026-12-06 (fifth session): 11,474 B with a spec audit's fixes: redirects failed rather than
// followed (the Location shown without credentials or query), integers beyond int64 sent as
// doubles (+87 B together), scope attributes encoded and told apart in grouping (+69 B): raised
// to 11,500. 11,858 B (+384 B) with maxRequestBytes (OTLP/HTTP: the client "SHOULD limit the size
// of the request body", 20 MiB): a larger batch encoded again in parts sent one after the other
// under one deadline, a span larger alone dropped; and a 1.x span's parent remoteness sent as
// unknown: raised to 11,875. 2026-12-06 (seventh session): 11,941 B with a batch that does not
// encode exported without its spans that do not (a foreign span's malformed link failed the whole
// batch), and core's trace-state check for a state made outside spanlite: raised to 11,950.
// 2026-12-07: 12,164 B with the TLS files of exporter.md's Configuration Options (Certificate
// File, Client key file, Client certificate file): resolved from options and variables in every
// build, applied by the node build's https client, and in the edge build a warning that they
// cannot apply (fetch takes no certificates); it replaces the one warning of before: raised to
// 12,175. 12,609 B with the check of a foreign span's fields before encoding (ids, times, kind,
// status, counts OTLP cannot carry made bytes a collector rejects with the whole request; now the
// span is dropped and the rest sent; spanlite's own spans skip it): raised to 12,610. 12,781 B
// with response bodies read to 64 KiB at most (a huge, endless or gzip-bombed body was read whole)
// and a backend's partial-success message made fit for a log line: raised to 12,785. 12,938 B
// with a review's fixes: times checked to the last nanosecond OTLP holds and sdk-trace-base's
// `[s, 1e9]` carried (JSON wrote it ten times too large), separators and bidi overrides blanked
// and no surrogate pair cut in a backend's message, the TLS client's connections closed at
// shutdown: raised to 12,940. 12,985 B with the parts of a large batch left unsent once one has
// timed out or shutdown aborted it (a timer firing a moment before the clock read the deadline
// started one more part): raised to 12,990 (this test asserts below the ceiling). 13,107 B with a
// 400's google.rpc.Status message shown in the diagnostic (OTLP/HTTP "Bad Data"): raised to 13,110.
// About 13,093 B with the response reader's two string reads made one: lowered to 13,095. 13,099 B
// (2026-12-07, ninth session) with deadlines on the monotonic clock (Next.js counts a prerendered
// route's reads of Date.now() as its IO): raised to 13,100. 13,130 B with requests sent outside
// the async context of the request that asked for the export (see detached-send.node.test.ts):
// raised to 13,135. 13,147 B with retries and their waits sent from there too, the hook optional,
// and a status a Response cannot hold below 200 failed as a network error again (a review's
// findings): raised to 13,150. 2026-12-07 (tenth session): 13,159 B with `1 span dropped` for
// one span: raised to 13,160. 2026-12-07 (thirteenth session): 13,166 B with
// OTEL_EXPORTER_OTLP_TRACES_HEADERS overriding OTEL_EXPORTER_OTLP_HEADERS whole: raised to 13,170.
// 13,181 B with a retry knob given as undefined left at its default: raised to 13,185. 13,186 B
// with a malformed OTEL_EXPORTER_OTLP_TRACES_HEADERS sending no header rather than the generic
// ones: raised to 13,190.
const MAX_GZIPPED_BYTES = 13_190;

describe('bundle size', () => {
  it(`keeps the minified edge bundle under ${MAX_GZIPPED_BYTES} gzipped bytes`, async () => {
    const result = await build({
      entryPoints: [new URL('../src/index.ts', import.meta.url).pathname],
      bundle: true,
      write: false,
      minify: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      conditions: ['edge-light', 'worker', 'browser', 'import', 'default'],
      external: ['@opentelemetry/*', '@spanlite/*'],
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]!.contents;
    const gzipped = gzipSync(code).length;
    expect(new TextDecoder().decode(code)).not.toMatch(/node:zlib/);
    expect(gzipped).toBeLessThan(MAX_GZIPPED_BYTES);
  });
});
