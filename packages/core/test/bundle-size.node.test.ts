/**
 * The gzipped size of what @spanlite/core adds to an edge bundle that sets up tracing
 * (`TracerProvider` + `BatchSpanProcessor`: the tracer, spans, every sampler OTEL_TRACES_SAMPLER can
 * name, error-always sampling, span limits, the resource, context managers, W3C Trace Context and
 * Baggage), from the published edge build, bundled and minified as a user's bundler would,
 * `@opentelemetry/api` left out. Run after `npm run build`, as `npm test` does.
 */
import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { minifiedEdgeBundle } from '../../../scripts/edge/edge-bundle';

// Measured 2026-11-23: 12.65 KB (36.4 KB minified), down from 13.0 KB once private `_members`
// were renamed in dist/ and the header grammars shared one character-class table. Raise it only
// on purpose, in the commit that needs it. 12.89 KB after the Trace SDK conformance fixes;
// raised to 12,950 at 12.91 KB for the `detectedResource` option (the platform under
// OTEL_RESOURCE_ATTRIBUTES).
// 2026-12-06: raised to 13,760 at 13.76 KB. HEAD was already at 13.32 KB, past 12,950 (the
// provider's idGenerator and forceFlush/shutdown timeout commits); +0.42 KB for the spec review
// fixes: ContextManager.bind of event emitters (+0.33 KB), times and truncation by code points.
// Raised to 13,900 at 13.86 KB: a throwing sampler drops its span with one report instead of
// throwing out of startSpan; a re-entered startSpan takes a sampling input of its own; an
// IdGenerator's id on a dropped span.
// 2026-12-06: raised to 14,150 at 14.12 KB. HEAD was already at 14.06 KB, past 13,900 (f0326de:
// bind's rawListeners, samplers returning no result); +61 B for the configuration review: values
// of `env` that are numbers or booleans read as text, any other non-string reported, not thrown on.
// 14.18 KB after a second review (bind's removal under Node's once wrapper, a throwing env
// getter, a sampler's odd result described): raised to 14,200.
// 2026-12-06: 14.31 KB with attribute values of any AnyValue (maps, mixed arrays, byte arrays,
// null; copied and cut recursively), which the specification's common/README.md now requires:
// raised to 14,350. 14.40 KB with both context managers' attach(), behind context.attach() of
// @opentelemetry/api 1.10: raised to 14,425.
// 2026-12-06: raised to 14,430 at 14.43 KB (+47 B): an invalid OTEL_* value is reported once per
// env object (reportEnv's WeakMap of reported messages) instead of on every read.
// 14.44 KB (+8 B) with samplers asked through shouldSample unless it is the built-in one (a
// subclass's override was skipped for the built-in decide): raised to 14,440.
// 14.45 KB (+10 B) with bind's removal searching an emitter's `listeners` too (eventemitter3):
// raised to 14,450. 14.50 KB (+52 B) with the W3C propagator catching what a span, trace state,
// setter or getter of someone else's throws (API methods MUST NOT throw): raised to 14,525.
// 14.60 KB (+73 B) with OTEL_CONFIG_FILE reported (no declarative configuration is read) and
// sampler values reported as written: raised to 14,625. 14.68 KB (+78 B) with span processors'
// onEnding (the specification's OnEnding, which the 3.x reference SDK calls): raised to 14,700.
// 14.74 KB (+35 B) with 56 random bits in the `rv` of a trace whose ids an IdGenerator made
// (trace/sdk.md, "Explicit trace randomness"): raised to 14,750. 14.86 KB (+111 B) with the
// sampling threshold rounded to 4 significant hex digits by the specification's algorithm (the
// precision other SDKs use, so they decide alike): raised to 14,875. 14.91 KB (+32 B) with a bound
// on the arrays and maps of one attribute value (shared parts made copying exponential) and
// error-always found inside an AlwaysRecordSampler: raised to 14,925. 15.00 KB (+89 B) with an
// IdGenerator's `randomTraceIds` and attach() saying once where it cannot work: raised to 15,000.
// 15.16 KB (+168 B) with ParentBased erasing a remote parent's threshold that the trace's
// randomness contradicts (tracestate-probability-sampling.md): raised to 15,175. 15.18 KB (+6 B)
// with the propagators' guard in one base class, SafePropagator, shared with B3 (the whole edge
// bundle 11 B smaller): raised to 15,200.
// 2026-12-06 (fifth session), from a spec audit, 15.73 KB (+568 B; shares measured on esbuild
// builds of the sources at each commit): HrTime start, end and event times kept to the nanosecond
// when the milliseconds lose them, the resource option taking a resource object, 1.x's
// instrumentationLibrary / parentSpanId, an empty status description, OTEL_TRACES_SAMPLER_ARG
// read only with a named sampler (+360 B, of which the times ~290 B); baggage inject encoding only
// what baggage-octet excludes, plus % and + (+124 B, at twice the old speed on values to encode);
// forceFlush / shutdown resolving with success, failure or timeout (+101 B); baggage extract
// keeping the context's baggage (−15 B): raised to 15,750. 15,827 B (+98 B) with scope
// attributes taken by getTracer (copied, validated, part of the tracer's key): raised to 15,850.
// 15,871 B after a review's fixes (concurrent flushes each told of a failed export, an exporter
// whose shutdown returns nothing, a three-element start time refused, scope attribute keys that
// tell NaN from Infinity, exported for the exporter's grouping): raised to 15,875.
// 2026-12-06 (sixth session): 15,893 B with the provider's flush timeouts and failures reported
// once and counted (a dead backend and a flush after every response logged one error per
// request): raised to 15,900. 2026-12-06 (seventh session): 15,954 B with baggage extract counting
// the bytes that go on, not the optional whitespace (W3C Baggage "Limits"), and bounding the
// work of a hostile header: raised to 15,960. 16,140 B with a trace state made outside spanlite
// held to the tracestate grammar when sent, OTEL_TRACES_SAMPLER_ARG used only with
// OTEL_TRACES_SAMPLER (and read as a decimal number), and OTEL_RESOURCE_ATTRIBUTES read in the
// baggage format: raised to 16,150. 16,162 B with an unchanged ot entry left in its place:
// raised to 16,170. 16,224 B with links checked for ids an exporter can write (a malformed one
// lost its whole batch): raised to 16,230. 16,281 B with an unknown span kind started as
// INTERNAL, with a warning: raised to 16,290. 16,437 B after a review's fixes: baggage members
// counted as inject will send them (an encodedLength beside encodeBaggageValue), the ot entry
// compared by its threshold, a foreign trace state trimmed of spaces and tabs only (and
// OTEL_RESOURCE_ATTRIBUTES back to its lenient reading): raised to 16,440. 16,475 B with the
// processors starting no export before the exporter answered the last, even past its timeout
// ("Export will never be called concurrently"): raised to 16,480. 16,460 B with the two
// processors sharing one export-under-timeout: lowered to 16,465. 16,445 B with the trace state's
// own copy of the optional-whitespace loops replaced by header-value's: lowered to 16,450.
// 2026-12-07: 16,455 B with the context managers calling a user's function through Reflect.apply,
// not through its own call, apply or bind, which it may have replaced: raised to 16,460. 16,475 B
// with an async exporter's rejected export taken as a failed export (it was an unhandled
// rejection, which ends a Node process): raised to 16,480. 16,723 B with the fixes of an
// adversarial check of the Trace API: values that throw when read (getters, Proxies, Date-like
// objects) caught in startSpan and each span method instead of thrown into the caller (+~150 B),
// times OTLP cannot carry (before 1970, after 2554) replaced by now, resource attributes held to
// the rules of span attributes and copied, link and parent span contexts copied: raised to 16,725.
// 16,751 B with the CHECKED_SPAN mark on recorded spans, which lets the OTLP exporter skip its
// checks of a foreign span's fields for them: raised to 16,755. 16,803 B with a review's fixes:
// addLinks guarded as the other span methods, a span that cannot be made keeping its parent's
// trace, a resource option read whole before any of it is taken: raised to 16,805. 16,866 B with
// span names quoted in diagnostics up to their query and 100 characters (a URL's secrets, a long
// line): raised to 16,870. 16,909 B (2026-12-07, ninth session) with the clock's anchor taken
// when a provider is made and ids drawn through the Crypto class's getRandomValues, neither
// counted by Next.js as a prerendered route's IO (see next-adapter's prerender-io test): raised
// to 16,910. 16,847 B with the dist built with esbuild's minifySyntax (constants folded while
// esbuild still knows them as const): lowered to 16,850. 2026-12-07 (tenth session): 16,874 B with
// isTraceSegmentKept and the batch processor's timer cleared once drained where timers are numbers
// (Deno, workerd, Next.js's edge sandbox): raised to 16,875. 2026-12-07 (eleventh session):
// 17,036 B with the clock following the wall clock again after a sleep or a clock step (compared
// once a second at most, as a local root starts; see clock-drift.test.ts): raised to 17,040.
// 17,041 B with a reading returned as it is while no correction was made (adding a shift of 0 cost
// a span 16 bytes of heap): raised to 17,045. 17,103 B with each span keeping its local root's
// correction (an open trace no longer moved by one; a test's fake clock followed back): raised to
// 17,105. 17,121 B with one reading of the clock for a span's start and its root's check (two
// cost a root span 48 ns and a heap number): raised to 17,125. 17,136 B with a performance.now()
// reading given for a span's time taken on the span's line: raised to 17,140. 2026-12-07
// (thirteenth session): 17,145 B with a local root's clock correction taken up before its given
// start is converted (a performance.now() start of the root that took it up was on the old line):
// raised to 17,145. 17,489 B with register() reading OTEL_PROPAGATORS (the list's parsing moved
// here from @spanlite/propagation, which uses it: +0.07 KB in @spanlite/next's bundle): raised to
// 17,490.
const MAX_GZIP_BYTES = 17_490;

it(`keeps core's edge bundle (TracerProvider + BatchSpanProcessor) under ${MAX_GZIP_BYTES} bytes gzipped`, async () => {
  const code = await minifiedEdgeBundle(
    "export { BatchSpanProcessor, TracerProvider } from '@spanlite/core';",
    new URL('.', import.meta.url).pathname,
  );
  const text = new TextDecoder().decode(code);
  // A bundle that lost the span or the processor would pass the ceiling without meaning anything.
  expect(text).toContain('OTEL_BSP_');
  expect(text).toContain('setAttribute');
  expect(text).not.toMatch(/node:/);
  expect(gzipSync(code).length).toBeLessThanOrEqual(MAX_GZIP_BYTES);
});
