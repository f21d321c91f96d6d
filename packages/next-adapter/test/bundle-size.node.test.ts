/**
 * The gzipped size of what an edge entry of a Next.js app carries for tracing: `registerTracing` +
 * `withTracing` + `withEdgeTracing` of the built package with the OTLP exporter, core and
 * propagation, bundled for the edge (`edge-light`) and minified, `@opentelemetry/api` left out
 * (the app has it anyway). The ceiling fails the build when the package grows past its budget.
 */
import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { minifiedEdgeBundle } from '../../../scripts/edge/edge-bundle';

// Measured 2026-11-23, after the size work in core and exporters (private `_members` renamed to
// short names in their dist/, one character-class table for the header grammars): 25.5 KB in all
// (26.3 KB before), of which core (TracerProvider + BatchSpanProcessor) 12.7 KB, the OTLP exporter
// 8.3 KB (protobuf encoder 2.5 KB, JSON encoder 2.3 KB, partial-success reader 0.4 KB), propagation
// (OTEL_PROPAGATORS, B3) 1.6 KB and this package 2.9 KB (3.1 KB since the per-request work of
// issue 5: its own request-URL parser and one shared flush timer, private members renamed); 26.0 KB
// in all after core's request-path pass for issue 5 (exactly sized attribute lists, trusted
// contexts). 27.2 KB after the conformance fixes of the OTLP configuration (header, timeout and
// endpoint checks: +0.4 KB) and OTEL_TRACES_EXPORTER (the console exporter and the simple span
// processor it runs behind: +0.65 KB; the variable's reading in this package: +0.1 KB).
// 27.7 KB after Workers support (the waitUntil of a third argument, a context manager option;
// exporters: a shutdown signal Workers accept across requests), the edge VM's per-request global
// reads taken out of this package (context manager used directly, request context store and the
// Request/Response classes kept), and core's Trace SDK conformance fixes (core 12.89 KB).
// (The node build also writes Next.js's request span into the incoming headers for the edge
// sandbox; the edge build has only a no-op in its place.)
// 2026-12-06: 28.3 KB, this package 4.14 KB: Next.js's redirect() / notFound() throws recorded
// as a status, not an error (+0.15 KB); OTEL_LOG_LEVEL (+0.2 KB); server.address / server.port
// from the Forwarded / X-Forwarded-Host / Host headers, as the HTTP conventions order them,
// instead of the URL Next.js builds from its own host name (+0.3 KB). 28.5 KB, this package
// 4.34 KB: signed-URL query values (S3, Azure, GCS) redacted in url.full and url.query (+0.2 KB);
// 4.36 KB with the `NEXT_NOT_FOUND` digest of Next.js 14 and 15.0's notFound(). 28.9 KB, this
// package 4.75 KB, after a review: the digests checked as Next.js checks them (type, status; 303
// for a possible server action; the prerender bail-outs), hosts validated and every Forwarded
// element read, S3 SigV4 keys redacted and Next.js's own span name, http.url and http.target
// scrubbed too (+0.38 KB); 4.76 KB with the 500 Next.js answers a throw with; 29.0 KB, this
// package 4.89 KB, with the flush of spans that end after their request (after() work), within
// flushWaitMillis of its end; 4.96 KB with the origin the client named (its host headers) also
// receiving trace headers by default. 29.4 KB, this package 5.20 KB, with the runtime and
// Vercel deployment described in the resource (+0.25 KB, most of it attribute and variable names).
// 30.0 KB, this package 5.71 KB, after a review's fixes (+0.51 KB): fetch leaves other libraries'
// client spans alone, keeps the members of an init that is a Request, keeps the runtime's own
// properties of fetch (Bun's preconnect); a wrapped handler called by another gets its own span;
// `this` passed on; one Server-Timing traceparent on a response returned to many requests;
// http.request.method_original, `HTTP` for `_OTHER` in names, OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS.
// The other packages: 24.27 KB (core's detectedResource; the exporter's delivery and Retry-After
// fixes). 30.1 KB, this package 5.82 KB, with url.scheme from Forwarded's proto or
// X-Forwarded-Proto.
// Other packages +0.18 KB (24.47 KB measured on 8839cbd) for propagation's review fixes: B3 keeps
// the tracestate of a traceparent naming the same trace, the B3 debug flag tied to its trace,
// null / "" headers read as absent, OTEL_PROPAGATORS warnings; core's part of it is 21 bytes.
// 31.2 KB (dependencies 25.41 KB) with core's spec review fixes of the same day (+0.94 KB in
// core: ContextManager.bind of event emitters, IdGenerator, the provider's flush timeout, a
// throwing sampler caught, code-point truncation, non-finite times, unknown_service:<executable>).
// 2026-12-06: dependencies 26.14 KB (HEAD 25.61 KB, past 25,450 with core's f0326de), ceiling
// 26,200: the configuration review's fixes in exporters (+0.44 KB: endpoint credentials dropped,
// certificate variables reported, lenient header decoding, console units and shutdown) and core
// (+61 B: non-string `env` values); this package 5.82 KB, reading `env` through core's readers.
// Issue 5's target of 12 KB is not reached:
// every feature an OTEL_* variable can switch on has to be in the default bundle, and core alone
// is past it. The total's ceiling is the parts' ceilings together; raise one only on purpose.
// 32.0 KB (dependencies 26.21 KB) with core's second-review fixes.
// 2026-12-06 (third session): this package 5.86 KB (+21 B) with server.port's default for a host
// named without a port (80 / 443). Dependencies 26.34 KB (+0.13 KB) with core's attribute values
// of any AnyValue (see core's bundle-size test).
// 2026-12-06: dependencies 26.48 KB (+81 B; HEAD was at 26,399): core and propagation report an
// invalid OTEL_* value once per env object instead of on every read (core's reportEnv).
// 2026-12-06: 26,486 B (+6 B) with core asking a sampler through shouldSample unless it is the
// built-in one: raised to 26,490.
// 2026-12-06: 26,493 B (+7 B) with core's bind removing a listener from an emitter bound again
// through its `listeners` list: raised to 26,495. 26,605 B (+110 B) with the W3C and B3
// propagators catching what a span, trace state, setter or getter of someone else's throws:
// raised to 26,625. 26,680 B (+55 B) with core reporting OTEL_CONFIG_FILE and sampler values as
// written, and the exporters' trace states that cannot serialize themselves: raised to 26,700.
// This package 5,879 B with OTEL_TRACES_EXPORTER values reported as written: raised to 5,900.
// 26,762 B (+82 B) with core calling span processors' onEnding: raised to 26,775. 26,833 B
// (+71 B) with core's `rv` for an IdGenerator's traces: raised to 26,850. 26,936 B (+103 B) with
// core's sampling threshold rounded to 4 significant hex digits: raised to 26,975. 27,021 B
// (+85 B) with the exporter's User-Agent sent from the edge build too: raised to 27,050. 27,070 B
// with core's bound on the arrays and maps of an attribute value: raised to 27,100. 27,153 B with
// core's `randomTraceIds` and attach()'s warning: raised to 27,175. 27,327 B (+174 B) with core's
// ParentBased checking a remote parent's threshold: raised to 27,350. 27,362 B with the exporter
// leaving the endpoint's query out of its messages: raised to 27,375.
// 2026-12-06 (fifth session): 27,903 B (+681 B) with a spec audit's fixes: core's (+568 B, see
// its bundle-size test: exact HrTime times, resource objects, flush results, baggage encoding),
// the exporter's redirects failed rather than followed and integers beyond int64 sent as doubles
// (+87 B), OTEL_PROPAGATORS of unknown names falling back to the default (+27 B): raised to 27,925.
// 28,051 B (+148 B) with scope attributes (core's getTracer, the exporter's encoders): raised to
// 28,075. 28,391 B (+345 B) with the exporter's maxRequestBytes and 1.x parent remoteness (see
// its bundle-size test): raised to 28,400. 28,407 B with a review's fixes in core (see its test):
// raised to 28,425. 2026-12-06 (sixth session): 28,432 B with core's flush timeouts reported once
// (see its test): raised to 28,450. 2026-12-06 (seventh session): 28,486 B with core's baggage
// limit counting the bytes that go on (see its test): raised to 28,490. 28,698 B with core's
// checks of a foreign trace state, the sampler argument and OTEL_RESOURCE_ATTRIBUTES (see its
// test): raised to 28,700. 28,708 B with core's ot entry left in place: raised to 28,710. 28,777 B
// with core's check of link ids (see its test): raised to 28,780. 28,816 B with core's check of
// span kinds: raised to 28,820. 28,983 B with core's fixes from a review (see its test): raised
// to 28,990. 29,067 B with the exporter sending what encodes of a batch that does not (see its
// test): raised to 29,070. 29,112 B with core's processors waiting for the exporter's answer
// before the next export (see its test): raised to 29,120. 29,033 B with core's two processors
// sharing one export-under-timeout: lowered to 29,040. 29,017 B with core's trace state
// trimming through header-value's helpers: lowered to 29,020. 2026-12-07: 29,222 B with the
// exporter's TLS files (exporter.md's Certificate File, Client key file, Client certificate file,
// applied in Node; in the edge build only resolved, to warn that they cannot apply there; see its
// test): raised to 29,225. 29,239 B with core's context managers calling a function through
// Reflect.apply rather than its own call or bind (see its test): raised to 29,240. 29,260 B with
// core's processors taking an async exporter's rejection as a failed export: raised to 29,260.
// 29,520 B with core's fixes of an adversarial check of the Trace API (see its test): raised to
// 29,520. 29,896 B with the exporter's check of a foreign span's fields before encoding, and
// core's mark on its own spans that skips it (see their tests): raised to 29,900. 30,058 B with
// the exporter's bounded reading of response bodies (see its test): raised to 30,060. 30,246 B
// with a review's fixes in core and the exporter (see their tests): raised to 30,250. 30,296 B
// with the exporter's parts left unsent after a timeout (see its test): raised to 30,300. 30,427 B
// with the exporter's TLS client fixes for webpack and a 400's Status message shown: raised to
// 30,430. 30,484 B with core's span names cut in diagnostics: raised to 30,485. 30,472 B with
// the exporter's two string reads of a response made one: lowered to 30,475. 30,523 B (2026-12-07,
// ninth session) with core's and the exporter's reads of the clock and of random values kept out
// of what Next.js counts as a prerendered route's IO (see prerender-io.node.test.ts): raised to
// 30,525. 30,555 B with the exporter's requests sent outside the async context of the request that
// asked for the export: raised to 30,560. 30,507 B with the packages' dist built with esbuild's
// minifySyntax: lowered to 30,510. 30,512 B with a review's fixes in the exporter and core:
// raised to 30,515.
// 2026-12-07 (tenth session): 30,543 B (+28 B) with core's isTraceSegmentKept, which this package
// now uses for the traceresponse's sampled flag (a segment error-always kept before the response):
// raised to 30,545. 30,574 B with core's batch processor clearing its timer once drained where
// timers are numbers: raised to 30,575. 30,584 B with the exporter's `1 span dropped`: raised to
// 30,585. 2026-12-07 (eleventh session): 30,753 B with core's clock following the wall clock
// again after a sleep or a clock step: raised to 30,755. 30,811 B with each span keeping its
// local root's correction: raised to 30,815. 30,829 B with one reading of the clock for a
// span's start and its root's check: raised to 30,830. 30,842 B with a performance.now() reading
// given for a span's time taken on the span's line: raised to 30,845. 2026-12-07 (thirteenth
// session): core's local root correction taken up before a given start is converted: raised to
// 30,850. The exporter's OTEL_EXPORTER_OTLP_TRACES_HEADERS overriding OTEL_EXPORTER_OTLP_HEADERS
// whole: 30,869 B (+20 B, of which 6 B the exporter alone): raised to 30,870. 30,920 B with core's
// register() reading OTEL_PROPAGATORS (the list's parsing moved into core from
// @spanlite/propagation, its hint for B3 added): raised to 30,920. Still 30,920 B with the
// exporter's retry knobs given as undefined left at their defaults and a malformed
// OTEL_EXPORTER_OTLP_TRACES_HEADERS sending none, the hint for B3 shortened. 30,913 B with core's
// createDefaultPropagator made by the OTEL_PROPAGATORS parser from its default: lowered to 30,915.
const MAX_DEPENDENCIES_GZIP_BYTES = 30_915;
// 5,904 B (+4 B) with one portOf for the server and client spans' server.port: raised to 5,925.
// 2026-12-06 (fourth session): 6,087 B (+219 B) with the route a wrapper names Next.js's request
// span with held until the span ends (Next.js 14 and 15 rename it from the route file's path, and
// such a path is turned into its route): raised to 6,100. 6,121 B with signed-URL secrets
// redacted in every Next.js request span's http.target and name at its end (the outer span when
// middleware matches too; it replaces the enriched span's redaction at its start): raised to 6,125.
// 6,161 B with Next.js's request spans that found no route named by the method alone (Next.js 14
// and 15 named them by the URL as received): raised to 6,175. 6,185 B with Next.js's
// next.span_name redacted too: raised to 6,200. 6,483 B (+298 B) after a review of the session's
// changes and a run on Next.js 15: the proxy tracer providers of an edge route's own copy of the
// API handed the provider (Next.js 14/15 lost module-level tracers' spans there), a route ending
// in `route` told from a route file by matching it against the path, RSC and absolute-form names,
// renaming left to Next.js's spans: raised to 6,500. 6,573 B after a second review: a name that
// lost its basePath or locale still renamed, other names redacted, percent-encoded paths matched
// decoded, RSC kept on a route put back: raised to 6,600. 6,641 B with url.path given back the
// basePath Next.js takes off a route handler's URL: raised to 6,650.
// 2026-12-06 (fifth session): 6,652 B with nothing changed in this package: the baggage extract
// and B3 debug fixes made the dependencies 11 B and the whole bundle 3 B smaller, and this share
// is the difference of two gzip sizes: raised to 6,675. 6,845 B (+195 B) with an audit's HTTP
// convention fixes: client.address from Forwarded / X-Forwarded-For, IPv6 server.address without
// brackets, error.type _OTHER and an exception event for thrown non-errors, Fetch's method
// normalization, Next.js's fetch span named by its method, enrichment only of a SERVER or
// Next.js span: raised to 6,850. 6,860 B with no change here (the dependencies grew, and this
// share is a difference of two gzip sizes): raised to 6,875. 6,884 B with client.address read
// from the first Forwarded element only and an IPv4 / IPv6 check that refuses names: raised to
// 6,900.
// 2026-12-06 (sixth session): 6,974 B (+101 B) with the `instrumentations` option (OpenTelemetry
// instrumentations handed the provider and enabled, nested lists flattened, a throwing one
// reported) and the runtime's fetch called with tracing suppressed below spanlite's client span
// (no second span or traceparent from @opentelemetry/instrumentation-undici): raised to 7,000.
// 6,997 B with fetch kept traced across Next.js dev's resetFetch (the accessor is in the node
// build only; the edge build's stand-ins are a plain assignment). 7,013 B with the call sites of
// two more node-only pieces (the request origins of code no wrapper handles, from Next.js's
// incoming headers; NEXT_RUNTIME as Next.js's bundler writes it): raised to 7,025. 7,127 B
// (+114 B) with the flush after each response bounded while flushes fail or time out (one at a
// time, a request waiting 1 s at most: with a dead backend, every request of the last 30 s was
// held in memory): raised to 7,150. 7,172 B with a flush running over 1 s bounding the waits too,
// and the bounded waits released together when it settles (one reaction per request on a 30 s
// flush kept each request that long): raised to 7,175. 7,179 B with a local root's end asking
// for a flush without a bounded wait (a timer per request while flushes fail): raised to 7,200.
// 2026-12-06 (seventh session): 7,216 B with one originOf for the request's origins, which
// leaves a default port out as URL.origin does (a proxy's `X-Forwarded-Host: shop.example:443`
// did not match fetches to https://shop.example): raised to 7,220. 7,290 B with the basePath in
// front of http.route and the name (HTTP conventions: "SHOULD include the application root"):
// raised to 7,300. 7,310 B with no change of its own, core's growth shifting how the whole
// compresses (own = all − dependencies): raised to 7,320. 7,392 B with the basePath taken from
// Next.js's configuration as its bundler defines it, for edge routes too, or a `basePath`
// option (read off the path, a rewrite could put an id in front of every route): raised to 7,400.
// 7,568 B with a failed fetch's error text scrubbed of the URL's credentials and secrets on the
// span, the basePath option on spans the wrapper starts, and a forwarded scheme taken only when it
// is http or https: raised to 7,570. 7,587 B with a Response.error() recorded as a failed
// request without a status code: raised to 7,590. 7,697 B after a review's fixes: an address a
// proxy names in another form compared as URL writes it, a route given with the basePath not
// prefixed twice: raised to 7,700. 7,739 B with the basePath on the routes Next.js writes on the
// spans of pages and other code no wrapper handles: raised to 7,740. 7,762 B with no change of
// its own, the dependencies' 79 B less shifting how the whole compresses (own = all − dependencies;
// the whole went from 36,851 to 36,795 B): 7,765, the sum of the two ceilings 55 B lower. 7,773 B,
// likewise, as the dependencies lost 16 B more (the whole 36,790 B): 7,775, the sum of the
// ceilings unchanged. 2026-12-07: 7,778 B with client.address checked for its length before its
// pattern runs (a long run of colons in X-Forwarded-For took quadratic time): raised to 7,780.
// 7,934 B with the fixes of an adversarial check of the wrappers: arguments and requests that
// throw when read, a rejection from a platform's waitUntil, registerTracing(null), handlers with
// their own call, fetch calls with an init fetch rejects or a URL object read once, Server-Timing
// split outside quoted strings: raised to 7,935. 7,940 B with the traced fetch keeping the
// runtime's fetch.length: raised to 7,940. 7,965 B with no change of its own, the dependencies'
// growth shifting how the whole compresses (own = all − dependencies): raised to 7,965. 8,027 B
// with a thrown object that is no error (a Response, a plain object) recorded by its type
// instead of a warning on every request and no event: raised to 8,030. 8,043 B with no change of
// its own (own = all − dependencies): raised to 8,045. 8,031 B with a thrown object's string
// code kept as its type, and the shift of compression: lowered to 8,035. 8,004 B with no change
// of its own (own = all − dependencies): lowered to 8,010. 8,011 B, likewise: raised to 8,015.
// 8,018 B with the traced fetch asking web-classes' isRequest (which reads no global in the edge
// sandbox) instead of its own instanceof Request: raised to 8,020 (the sum of the ceilings 5 B
// lower than before the last two commits). 8,034 B (2026-12-07, ninth session) with the flush
// also handed to Vercel's request context (`@vercel/request-context`): raised to 8,035. 8,068 B
// with a 5xx leaving the ERROR status and error.type the app set (see its test): raised to 8,070.
// 8,119 B with the flush's deadlines on the monotonic clock, a late span's window measured between
// span ends, and the request read outside Next.js's prerender tracking (see
// prerender-io.node.test.ts and request-reader.node.test.ts): raised to 8,120. 8,129 B with no
// change of its own (own = all − dependencies): raised to 8,130. 8,064 B with the dist built with
// esbuild's minifySyntax: lowered to 8,065. 8,103 B with no trace headers on a response Next.js
// prerenders (and caches for every client; see request-reader.node.test.ts): raised to 8,105.
// 8,116 B with no trace headers on a middleware's rewrite (Next.js copies them onto the request
// it forwards): raised to 8,120. 8,160 B with that only for a rewrite to another origin (Next.js
// puts a rewrite's headers on the response too), the prerender check only inside Next.js's span
// (a second review's findings): raised to 8,160. 8,150 B with the request context's and the
// prerender check's lookups of a global made one (global-lookup.ts): lowered to 8,150. 8,152 B
// with no change of its own (own = all − dependencies; core's span warnings made one method, the
// whole unchanged at 38,663 B): raised to 8,155. 2026-12-07 (tenth session): 8,110 B with the
// tracker's own list of segments kept from outside replaced by core's isTraceSegmentKept (whole
// 38,653 B): lowered to 8,120. 8,223 B with the fixes for OpenNext on Cloudflare Workers (a flush
// asked for as a request no wrapper handled ends goes to its request's waitUntil; a disabled
// registration found by a second copy in the same globals): raised to 8,225. 8,280 B with the
// flush asked for as a local root server span reaches onEnding (a root error-always discards
// reaches no onEnd) and the flush scheduler's poll armed again once long overdue (workerd cancels
// a request's timers): raised to 8,280. 8,325 B with the resource naming workerd and a waiting
// request joining its flush from its own promise (workerd drops what settles in a request that
// has ended): raised to 8,325. 8,395 B with a request waiting for a root that is no server span
// (middleware's) released as that root ends, in its own request: raised to 8,395. 8,417 B with a
// flush handed to the request context too where a holder (middleware's event) is given: raised
// to 8,420. 8,452 B with a timer of its own for each request's wait in workerd (which cancels a
// request waiting only on another's flush as hung): raised to 8,455. 8,438 B with the late span's
// handover of its flush made keepRequestFor's (one dedupe of the flush handed over, not two):
// lowered to 8,440. 2026-12-07 (eleventh session): 8,477 B with no request waiting for its flush
// over 5 s (Next.js waits for every waitUntil promise as it stops; `next start` took 17–25 s to
// exit on SIGTERM with a collector down): raised to 8,480. 8,462 B with the cap's timer armed
// only once a flush has turned slow (one timer per quick flush, as before): lowered to 8,465.
// 8,471 B with no change of its own (own = all − dependencies; core's clock changes shifted how
// the whole compresses): raised to 8,475. 2026-12-07 (thirteenth session): 8,512 B with the late
// spans of 20 ms gathered into one flush (one export per span before): raised to 8,515. 8,524 B
// with no change of its own (core's OTEL_PROPAGATORS shifted how the whole compresses): raised to
// 8,525. 8,560 B with a gathering of late spans whose timer never fired (workerd cancelled it with
// its request) replaced: raised to 8,565. 8,605 B with one flush per 20 ms at most (a server
// under load made an export in most ticks, about two a request): raised to 8,605. 8,609 B with no
// change of its own (the whole 3 B smaller, core's default propagator made by its parser): raised
// to 8,610, the sum of the ceilings unchanged. 2026-12-07 (fourteenth session): 8,708 B with
// Next.js's request span found below the INTERNAL spans NEXT_OTEL_VERBOSE=1 starts above it (the
// wrappers enriched Next.js's INTERNAL span, a page's flush was never asked for): raised to 8,710.
// 8,828 B with the flushes of an edge sandbox of Next.js's own server 1 s apart (its middleware
// made more export requests than requests, most of a self-hosted server's): raised to 8,830.
// 2026-12-07 (fifteenth session): 8,831 B once the wrappers' control-flow digest reading and the
// thrown value's exception were shared with onRequestError (+3 B; onRequestError and
// getRequestSpan themselves are not in this bundle): raised to 8,835. 8,891 B (+60 B) with the
// wrappers leaving a throw in the edge sandbox to Next.js's own span (middleware's, an edge
// route's), which records it too: the event was there twice: raised to 8,895. 8,936 B (+45 B)
// with the flush interval's timer armed again when Node.js fires it early (18.4 ms after the last
// flush in a test, 3 of 15 runs under 19 ms): raised to 8,940. 2026-12-07 (sixteenth session):
// 8,949 B (+13 B) with the `idGenerator` option handed to core's provider: raised to 8,950.
// 8,977 B (+28 B) with a pending flush whose timer is long overdue replaced (Next.js's dev server
// removes every edge sandbox's timers as it rebuilds; middleware's spans stopped after a save):
// raised to 8,980. 9,053 B (+76 B) with a request whose client aborted no longer waited for
// (Next.js left its request span open; the request, held by `after()` or `waitUntil`, stayed in
// memory for `flushWaitMillis`, 60 s): raised to 9,055. 9,064 B (+11 B) with the scheduler reading
// `performance` through a reference taken at load (a global read costs 117 ns a call in the edge
// VM, 41 ns through it; a request reads the clock there once or twice): raised to 9,065. 9,065 B
// with the request's signal read where it can be (another realm's in the edge runtime; workerd
// refuses one request's objects to another's timer). 9,076 B (+11 B) with a replaced flush's
// requests joining the one that replaced it, and a replaced flush whose timer was only late (an
// event loop blocked for over a second) starting none of its own (a review's find): raised to
// 9,080. 9,095 B (+19 B) with `next dev`'s sandbox flushing 20 ms apart (its last middleware
// spans were lost on Ctrl-C, which the dev server does not wait through): raised to 9,095.
// 2026-12-07 (seventeenth session): 9,411 B (+317 B) with `propagateTo` read once at
// registration: URL entries with a path (`https://api.example.com/v1`, which matched no URL),
// `https://*.` subdomains and `'*'`, entries that can match nothing reported through `diag`, and
// on Vercel the deployment's own URLs in the default: raised to 9,415. 9,601 B (+190 B) with an
// edge route named by Next.js's `next.route` without the option (its span kept Next.js's
// `executing api route (app) …` name and had no http.route) and the route parameters Next.js
// adds to an edge route's URL left out of url.query: raised to 9,605. 9,698 B (+97 B) after a
// review: `propagateTo` entries that match no URL also reported (an unbracketed IPv6 host, a `*`
// elsewhere than a leading label, a URL entry's query, fragment, credentials or other scheme),
// the production domain in the Vercel default only in production, and a handler an edge route
// calls not taking on its route: raised to 9,700. 9,809 B (+109 B) with `registerTracing`
// checking its `exporter` and `spanProcessors` (another SDK's `'auto'` lost every span, or logged
// an error on each; one processor not in a list threw): raised to 9,810. 9,825 B (+16 B) with the
// request headers kept on the tracker, which the node build records on Next.js's request span of
// every request (pages, unwrapped routes; the edge build has no such span to record them on):
// raised to 9,830. 9,911 B (+86 B) after a review: a `requestHeaders` entry that is no header
// name skipped with a warning (`Headers.get` threw on it, and no wrapped request was traced), an
// exporter or span processor that throws when read taken as none, `'none'` as no exporter, any
// iterable of span processors: raised to 9,915. 9,922 B (+11 B) with one `requestHeaders` name
// given alone read as a list of one, not as its characters: raised to 9,925. 9,935 B (+13 B) with
// a `*.` host entry that names a port matching on that port (it matched no URL): raised to 9,935.
const MAX_OWN_GZIP_BYTES = 9_935;
const MAX_GZIP_BYTES = MAX_DEPENDENCIES_GZIP_BYTES + MAX_OWN_GZIP_BYTES;

const edgeBundle = (contents: string): Promise<Uint8Array> =>
  minifiedEdgeBundle(contents, new URL('.', import.meta.url).pathname);

it(`keeps the edge bundle of registerTracing + withTracing + OTLP under ${MAX_GZIP_BYTES} bytes gzipped`, async () => {
  const bytes = await edgeBundle(
    "export { registerTracing, withTracing, withEdgeTracing } from '@spanlite/next';",
  );
  const gzipped = gzipSync(bytes).length;
  expect(gzipped).toBeLessThanOrEqual(MAX_GZIP_BYTES);
  // A bundle that lost the exporter would pass the ceiling without meaning anything.
  expect(new TextDecoder().decode(bytes)).toContain('/v1/traces');

  // What the other packages weigh alone, with everything of theirs this package uses.
  const dependencies = await edgeBundle(`
export { BatchSpanProcessor, isTraceSegmentKept, isTracingSuppressed, keepTraceSegment, localRootOf, SimpleSpanProcessor, TracerProvider } from '@spanlite/core';
export { ConsoleSpanExporter, OtlpTraceExporter } from '@spanlite/exporters';
export { headersGetter, headersSetter, propagatorFromEnv, propagatorFromNames } from '@spanlite/propagation';
`);
  const dependenciesGzipped = gzipSync(dependencies).length;
  expect(dependenciesGzipped).toBeLessThanOrEqual(MAX_DEPENDENCIES_GZIP_BYTES);
  expect(gzipped - dependenciesGzipped).toBeLessThanOrEqual(MAX_OWN_GZIP_BYTES);
});
