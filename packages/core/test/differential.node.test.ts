/**
 * Differential test against the reference implementation, @opentelemetry/sdk-trace-base: the same
 * program of API calls runs on a spanlite TracerProvider and on a BasicTracerProvider (each with a
 * SimpleSpanProcessor and a collecting exporter), and the finished spans must be equivalent once
 * ids (random) are replaced by the position of the span that owns them.
 *
 * Where the two SDKs legitimately differ, the case is adapted (the reference's input or spanlite's
 * output) with a comment naming the clause of the OpenTelemetry specification that allows it;
 * everything else must be equal.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type Tracer as ApiTracer,
  type Attributes,
  type AttributeValue,
  type Context,
  context,
  type Exception,
  type Link,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  SpanKind,
  type SpanStatus,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  AlwaysOffSampler as RefAlwaysOffSampler,
  AlwaysOnSampler as RefAlwaysOnSampler,
  ParentBasedSampler as RefParentBasedSampler,
  type Sampler as RefSampler,
  SimpleSpanProcessor as RefSimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  AsyncLocalStorageContextManager,
  type ExportResult,
  ExportResultCode,
  type FinishedSpan,
  ParentBasedSampler,
  type Sampler,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanLimitsOptions,
  TracerProvider,
} from '../src/index';

// ---------------------------------------------------------------------------------------------
// The program: data that both SDKs interpret
// ---------------------------------------------------------------------------------------------

/** Where a new span's parent comes from. */
type ParentRef =
  /** The active context: ROOT at top level, the enclosing startActiveSpan's span inside one. */
  | { readonly kind: 'active' }
  /** An explicit context holding an earlier span of this program (index modulo spans so far). */
  | { readonly kind: 'span'; readonly index: number }
  /** An explicit context holding a remote parent. */
  | { readonly kind: 'remote'; readonly sampled: boolean };

type LinkTarget =
  | { readonly kind: 'span'; readonly index: number }
  | { readonly kind: 'fixed'; readonly n: number };

interface LinkSpec {
  readonly to: LinkTarget;
  readonly attributes?: Attributes;
}

type Action =
  | { readonly op: 'setAttribute'; readonly key: string; readonly value: unknown }
  | { readonly op: 'setAttributes'; readonly attributes: Attributes }
  | { readonly op: 'addEvent'; readonly name: string; readonly attributes?: Attributes }
  | { readonly op: 'addLink'; readonly link: LinkSpec }
  | { readonly op: 'addLinks'; readonly links: readonly LinkSpec[] }
  | { readonly op: 'setStatus'; readonly status: { code: SpanStatusCode; message?: unknown } }
  | { readonly op: 'updateName'; readonly name: string }
  | { readonly op: 'recordException'; readonly exception: unknown }
  | { readonly op: 'end' };

type Statement =
  | {
      readonly type: 'start';
      readonly name: string;
      readonly parent: ParentRef;
      readonly kind?: SpanKind;
      readonly root?: boolean;
      readonly attributes?: Attributes;
      readonly links?: readonly LinkSpec[];
      /** startActiveSpan: these statements run inside it, with the new span active. */
      readonly body?: readonly Statement[];
    }
  /** A run of calls on one earlier span (index modulo spans so far). */
  | { readonly type: 'act'; readonly target: number; readonly actions: readonly Action[] };

const REMOTE_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const REMOTE_SPAN_ID = 'b7ad6b7169203331';
const FIXED_LINKS: readonly SpanContext[] = [
  { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1 },
  {
    traceId: '11111111111111111111111111111111',
    spanId: '2222222222222222',
    traceFlags: 0,
    isRemote: true,
  },
];

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

/** A small key pool so that keys collide (overwrites, limits) and hostile keys show up. */
const keyArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('a', 'b', 'c', 'd', 'http.method', 'x.y.z') },
  {
    weight: 2,
    arbitrary: fc.constantFrom('', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '7'),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);

const shortOrLongString = fc.oneof(
  fc.string({ maxLength: 4 }),
  fc.string({ minLength: 5, maxLength: 12 }),
  fc.constantFrom('', 'héllo wörld', '😀😀😀', 'abcdefghijklmnop'),
);

const validValueArb: fc.Arbitrary<unknown> = fc.oneof(
  shortOrLongString,
  fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -0, Number.NaN, Number.POSITIVE_INFINITY)),
  fc.boolean(),
  fc.array(fc.oneof(shortOrLongString, fc.constant(null), fc.constant(undefined)), {
    maxLength: 4,
  }),
  fc.array(fc.oneof(fc.integer(), fc.constant(null)), { maxLength: 4 }),
  fc.array(fc.boolean(), { maxLength: 3 }),
);

// Values outside AnyValue, which both drop. `null`, mixed and nested arrays, maps and byte arrays
// are AnyValue, which attributes may hold since the specification's common/README.md, "Attribute"
// ("The attribute value MUST be one of types defined in AnyValue"): spanlite keeps them, as
// sdk-trace 3.x does, where sdk-trace-base 2.x drops them; they are left out of this comparison
// and checked in src/trace/trace-sdk-conformance.test.ts.
const invalidValueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(undefined),
  fc.constant(10n),
  fc.constant(() => 1),
  fc.constant(new Date(0)),
  fc.constant(Symbol('s')),
);

const valueArb = fc.oneof(
  { weight: 4, arbitrary: validValueArb },
  { weight: 1, arbitrary: invalidValueArb },
);

/**
 * An attribute map built with defineProperty, so that a `__proto__` key is an own data property
 * (as `JSON.parse` would make it), not a prototype assignment.
 */
const attributesArb: fc.Arbitrary<Attributes> = fc
  .array(fc.tuple(keyArb, valueArb), { maxLength: 5 })
  .map((entries) => {
    const out: Attributes = {};
    for (const [key, value] of entries) {
      Object.defineProperty(out, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  });

const linkTargetArb: fc.Arbitrary<LinkTarget> = fc.oneof(
  fc.record({ kind: fc.constant('span' as const), index: fc.nat(20) }),
  fc.record({ kind: fc.constant('fixed' as const), n: fc.nat(FIXED_LINKS.length - 1) }),
);

const linkArb: fc.Arbitrary<LinkSpec> = fc.record(
  { to: linkTargetArb, attributes: attributesArb },
  { requiredKeys: ['to'] },
);

class CodedError extends Error {
  constructor(
    message: string,
    readonly code: unknown,
  ) {
    super(message);
    this.name = 'CodedError';
  }
}

/** Built once per program and passed to both SDKs, so stacks are identical. */
const exceptionArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 8 }).map((message) => new Error(message)),
  fc.string({ maxLength: 8 }).map((message) => new TypeError(message)),
  fc
    .tuple(fc.string({ maxLength: 8 }), fc.constantFrom('ECONNRESET', 'E1', 42))
    .map(([message, code]) => new CodedError(message, code)),
  fc.string({ maxLength: 8 }),
  fc.record(
    {
      name: fc.oneof(fc.string({ maxLength: 6 }), fc.constant(7)),
      message: fc.oneof(fc.string({ maxLength: 6 }), fc.constant(42)),
      code: fc.constantFrom('ENOENT', 'X', 0, 5, ''),
      stack: fc.oneof(fc.string({ maxLength: 6 }), fc.constant(1)),
    },
    { requiredKeys: [] },
  ),
  fc.constantFrom(null, undefined, {}),
);

const statusArb = fc.oneof(
  fc.constant({ code: SpanStatusCode.UNSET }),
  fc.constant({ code: SpanStatusCode.OK }),
  fc.record(
    {
      code: fc.constant(SpanStatusCode.OK),
      message: fc.string({ maxLength: 4 }),
    },
    { requiredKeys: ['code', 'message'] },
  ),
  fc.record(
    {
      code: fc.constant(SpanStatusCode.ERROR),
      message: fc.oneof(fc.string({ maxLength: 6 }), fc.constant(42), fc.constant(null)),
    },
    { requiredKeys: ['code'] },
  ),
);

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('setAttribute' as const),
      key: keyArb,
      value: valueArb,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('setAttributes' as const), attributes: attributesArb }),
  },
  {
    weight: 3,
    arbitrary: fc.record(
      {
        op: fc.constant('addEvent' as const),
        name: fc.string({ maxLength: 6 }),
        attributes: attributesArb,
      },
      { requiredKeys: ['op', 'name'] },
    ),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('addLink' as const), link: linkArb }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('addLinks' as const),
      links: fc.array(linkArb, { maxLength: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('setStatus' as const), status: statusArb }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('updateName' as const),
      name: fc.string({ maxLength: 6 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('recordException' as const), exception: exceptionArb }),
  },
  { weight: 2, arbitrary: fc.constant({ op: 'end' as const }) },
);

const parentArb: fc.Arbitrary<ParentRef> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'active' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('span' as const), index: fc.nat(20) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('remote' as const), sampled: fc.boolean() }),
  },
);

const kindArb = fc.constantFrom(
  SpanKind.INTERNAL,
  SpanKind.SERVER,
  SpanKind.CLIENT,
  SpanKind.PRODUCER,
  SpanKind.CONSUMER,
);

const { program: programArb } = fc.letrec<{
  program: Statement[];
  statement: Statement;
  start: Statement;
}>((tie) => ({
  program: fc.array(tie('statement'), { minLength: 1, maxLength: 14, depthIdentifier: 'p' }),
  statement: fc.oneof(
    { depthSize: 'small', withCrossShrink: true, depthIdentifier: 'p' },
    { weight: 2, arbitrary: tie('start') },
    {
      weight: 5,
      arbitrary: fc.record({
        type: fc.constant('act' as const),
        target: fc.nat(20),
        actions: fc.array(actionArb, { minLength: 1, maxLength: 4 }),
      }),
    },
  ),
  start: fc.record(
    {
      type: fc.constant('start' as const),
      name: fc.string({ maxLength: 6 }),
      parent: parentArb,
      kind: kindArb,
      root: fc.boolean(),
      attributes: attributesArb,
      links: fc.array(linkArb, { maxLength: 3 }),
      body: fc.array(tie('statement'), { maxLength: 4, depthIdentifier: 'p' }),
    },
    { requiredKeys: ['type', 'name', 'parent'] },
  ),
}));

// ---------------------------------------------------------------------------------------------
// Interpreting a program
// ---------------------------------------------------------------------------------------------

/**
 * How the reference's input differs from spanlite's, where the specification leaves a case
 * undefined or the reference departs from it (see `adaptAttributes`).
 */
interface Dialect {
  attributes(attributes: Attributes | undefined): Attributes | undefined;
  key(key: string): string;
  /** Attribute maps of events and links (the reference keeps null values there). */
  nestedAttributes(attributes: Attributes | undefined): Attributes | undefined;
  recordException(span: Span, exception: unknown): void;
}

/** Stand-in for `__proto__` on the reference side (see `REFERENCE`). */
const PROTO_ALIAS = '__proto__\u0000alias';

const SPANLITE: Dialect = {
  attributes: (a) => a,
  key: (k) => k,
  nestedAttributes: (a) => a,
  recordException: (span, exception) => span.recordException(exception as Exception),
};

/**
 * The reference's input is adapted in two places, each a case where spanlite follows the spec and
 * sdk-trace-base does not:
 *
 * 1. `__proto__` as an attribute key. Spec, common/README.md "Attribute": a key is any non-null,
 *    non-empty string. sdk-trace-base stores attributes with `attributes[key] = value` on a plain
 *    object, so `__proto__` counts towards the limit but is not stored (a primitive is ignored by
 *    the `__proto__` setter; an array becomes the attribute object's *prototype*). spanlite stores
 *    it as an own property. The reference therefore gets an ordinary stand-in key in the same
 *    position, and spanlite's output is renamed the same way before comparing.
 * 2. `null`/`undefined` values in event and link attribute maps. Spec, common/README.md
 *    "Attribute": "Attribute values of `null` are not valid and attempting to set a `null` value is
 *    undefined behavior." sdk-trace-base's `sanitizeAttributes` keeps them on events and links
 *    (and counts them towards the per-event/per-link limit), while its `Span.setAttribute` drops
 *    them silently, as spanlite does everywhere. The reference gets the map without them.
 * 3. `recordException('')`. sdk-trace-base records nothing (it tests `exception.message` for
 *    truthiness); spanlite records an `exception` event with `exception.message: ""`. Spec,
 *    common/README.md "Attribute": "Attribute values expressing ... an empty string ... are
 *    considered meaningful and MUST be stored"; the exception semantic conventions require
 *    `exception.type` or `exception.message` to be set, and here the message is set. The reference
 *    is given the event the specification describes.
 * 4. `recordException(object)` fields that are not strings. The semantic conventions (exceptions
 *    on spans) type `exception.type`, `exception.message` and `exception.stacktrace` as strings;
 *    sdk-trace-base copies any truthy `name`/`message`/`stack` (a number lands in the event),
 *    spanlite keeps strings only. And `code`, which both read first for `exception.type`, is a
 *    Node.js convention the specification does not define: sdk-trace-base uses any truthy code,
 *    spanlite only a non-empty string (a number is a DOMException's legacy code, `20` for every
 *    AbortError, where the exception conventions ask for the type: the name). The reference is
 *    given the string-typed fields, i.e. the exception as the conventions read it.
 *    (It is also spared null-prototype objects without type and message: formatting its own
 *    warning, ``diag.warn(`... ${exception}`)``, throws a TypeError into user code, against the
 *    specification's error-handling principle that the SDK MUST NOT throw at run time.)
 */
const REFERENCE: Dialect = {
  attributes: (a) => renameProto(a, false),
  key: (k) => (k === '__proto__' ? PROTO_ALIAS : k),
  nestedAttributes: (a) => renameProto(a, true),
  recordException: (span, exception) => {
    if (exception === '') span.addEvent('exception', { 'exception.message': '' });
    else span.recordException(asConventionsRead(exception) as Exception);
  },
};

function asConventionsRead(exception: unknown): unknown {
  if (exception === null || typeof exception !== 'object') return exception;
  const e = exception as { code?: unknown; name?: unknown; message?: unknown; stack?: unknown };
  const out: { code?: string; name?: string; message?: string; stack?: string } = {};
  if (typeof e.code === 'string' && e.code !== '') out.code = e.code;
  if (typeof e.name === 'string') out.name = e.name;
  if (typeof e.message === 'string') out.message = e.message;
  if (typeof e.stack === 'string') out.stack = e.stack;
  return out;
}

function renameProto(input: Attributes | undefined, dropNullish: boolean): Attributes | undefined {
  if (input === undefined) return undefined;
  const out: Attributes = {};
  for (const key of Object.keys(input)) {
    const value = input[key];
    if (dropNullish && (value === null || value === undefined)) continue;
    Object.defineProperty(out, key === '__proto__' ? PROTO_ALIAS : key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** What each SDK run leaves behind. */
interface RunResult {
  /** Every span the program started, in start order (recording or not). */
  readonly started: Span[];
  /** isRecording() and the sampled bit of each started span, read when it started. */
  readonly observed: Array<{ recording: boolean; sampled: boolean }>;
  readonly finished: readonly FinishedSpan[];
}

function remoteParentContext(sampled: boolean): Context {
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: REMOTE_TRACE_ID,
    spanId: REMOTE_SPAN_ID,
    traceFlags: sampled ? 1 : 0,
    isRemote: true,
  });
}

function run(tracer: ApiTracer, program: readonly Statement[], dialect: Dialect): Span[] {
  const started: Span[] = [];
  const toLink = (spec: LinkSpec): Link | undefined => {
    let target: SpanContext;
    if (spec.to.kind === 'fixed') target = FIXED_LINKS[spec.to.n]!;
    else if (started.length === 0) return undefined;
    else target = started[spec.to.index % started.length]!.spanContext();
    const attributes = dialect.nestedAttributes(spec.attributes);
    return attributes === undefined ? { context: target } : { context: target, attributes };
  };
  const toLinks = (specs: readonly LinkSpec[]): Link[] =>
    specs.map(toLink).filter((l): l is Link => l !== undefined);

  const execute = (statements: readonly Statement[]) => {
    for (const statement of statements) {
      if (statement.type === 'act') {
        if (started.length === 0) continue;
        const span = started[statement.target % started.length]!;
        for (const action of statement.actions) act(span, action);
        continue;
      }
      const options: {
        kind?: SpanKind;
        root?: boolean;
        attributes?: Attributes;
        links?: Link[];
      } = {};
      if (statement.kind !== undefined) options.kind = statement.kind;
      if (statement.root !== undefined) options.root = statement.root;
      if (statement.attributes !== undefined)
        options.attributes = dialect.attributes(statement.attributes);
      if (statement.links !== undefined) options.links = toLinks(statement.links);
      let parentContext: Context | undefined;
      const parent = statement.parent;
      if (parent.kind === 'span' && started.length > 0) {
        parentContext = trace.setSpan(ROOT_CONTEXT, started[parent.index % started.length]!);
      } else if (parent.kind === 'remote') {
        parentContext = remoteParentContext(parent.sampled);
      }
      if (statement.body === undefined) {
        started.push(tracer.startSpan(statement.name, options, parentContext));
      } else {
        const body = statement.body;
        const fn = (span: Span) => {
          started.push(span);
          execute(body);
        };
        if (parentContext === undefined) tracer.startActiveSpan(statement.name, options, fn);
        else tracer.startActiveSpan(statement.name, options, parentContext, fn);
      }
    }
  };

  const act = (span: Span, action: Action) => {
    switch (action.op) {
      case 'setAttribute':
        span.setAttribute(dialect.key(action.key), action.value as AttributeValue);
        break;
      case 'setAttributes':
        span.setAttributes(dialect.attributes(action.attributes)!);
        break;
      case 'addEvent':
        if (action.attributes === undefined) span.addEvent(action.name);
        else span.addEvent(action.name, dialect.nestedAttributes(action.attributes));
        break;
      case 'addLink': {
        const link = toLink(action.link);
        if (link !== undefined) span.addLink(link);
        break;
      }
      case 'addLinks':
        span.addLinks(toLinks(action.links));
        break;
      case 'setStatus':
        span.setStatus(action.status as SpanStatus);
        break;
      case 'updateName':
        span.updateName(action.name);
        break;
      case 'recordException':
        dialect.recordException(span, action.exception);
        break;
      case 'end':
        span.end();
        break;
    }
  };

  execute(program);
  return started;
}

class CollectingExporter implements SpanExporter {
  readonly spans: FinishedSpan[] = [];
  export(spans: FinishedSpan[], done: (result: ExportResult) => void): void {
    this.spans.push(...spans);
    done({ code: ExportResultCode.SUCCESS });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const SCOPE = ['differential', '1.2.3'] as const;

async function runSpanlite(
  program: readonly Statement[],
  spanLimits: SpanLimitsOptions | undefined,
): Promise<RunResult> {
  const exporter = new CollectingExporter();
  const provider = new TracerProvider({
    env: {},
    spanLimits,
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  return finish(provider.getTracer(...SCOPE), program, SPANLITE, provider, () => exporter.spans);
}

async function runReference(
  program: readonly Statement[],
  spanLimits: SpanLimitsOptions | undefined,
): Promise<RunResult> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanLimits,
    spanProcessors: [new RefSimpleSpanProcessor(exporter)],
  });
  return finish(
    provider.getTracer(...SCOPE),
    program,
    REFERENCE,
    provider,
    () => exporter.getFinishedSpans() as unknown as FinishedSpan[],
  );
}

async function finish(
  tracer: ApiTracer,
  program: readonly Statement[],
  dialect: Dialect,
  provider: { forceFlush(): Promise<unknown> },
  finished: () => readonly FinishedSpan[],
): Promise<RunResult> {
  const observed: RunResult['observed'] = [];
  const started = run(tracer, program, dialect);
  for (const span of started) {
    observed.push({
      recording: span.isRecording(),
      sampled: (span.spanContext().traceFlags & 1) === 1,
    });
  }
  // Spans the program left open end now, in start order, so every span is compared.
  for (const span of started) if (span.isRecording()) span.end();
  await provider.forceFlush();
  return { started, observed, finished: finished() };
}

// ---------------------------------------------------------------------------------------------
// Normal form: ids replaced by positions
// ---------------------------------------------------------------------------------------------

interface Ids {
  /** Span id → position in `started`. */
  readonly spans: Map<string, number>;
  /** Positions of the spans that were not recording when they started. */
  readonly dropped: Set<number>;
  /** Trace id → position of the first started span of that trace. */
  readonly traces: Map<string, number>;
}

function indexIds(result: RunResult): Ids {
  const { started, observed } = result;
  const spans = new Map<string, number>();
  const traces = new Map<string, number>();
  const dropped = new Set<number>();
  started.forEach((span, i) => {
    if (!observed[i]!.recording) dropped.add(i);
    const sc = span.spanContext();
    if (!spans.has(sc.spanId)) spans.set(sc.spanId, i);
    if (!traces.has(sc.traceId)) traces.set(sc.traceId, i);
  });
  return { spans, traces, dropped };
}

function contextRef(sc: SpanContext | undefined, ids: Ids): string | undefined {
  if (sc === undefined) return undefined;
  if (sc.spanId === REMOTE_SPAN_ID && sc.traceId === REMOTE_TRACE_ID) return 'remote-parent';
  const fixed = FIXED_LINKS.findIndex((f) => f.spanId === sc.spanId && f.traceId === sc.traceId);
  if (fixed >= 0) return `fixed-${fixed}`;
  const at = ids.spans.get(sc.spanId);
  if (at === undefined) return `unknown:${sc.spanId}`;
  // A span dropped below a dropped local parent is, in spanlite, that parent object itself, with
  // its span id (tracer.ts: "Below a dropped local span, a dropped span is that same span"); the
  // reference gives every span a fresh id. This departs from the spec (trace/api.md "SpanContext":
  // a SpanId is "globally unique with practically sufficient probability") and is reported to
  // core's owner; it is only visible through ids, so a reference to a dropped span is compared as
  // just that.
  return ids.dropped.has(at) ? 'dropped-span' : `span-${at}`;
}

/**
 * Attributes as sorted entries, spanlite's `__proto__` renamed like the reference's input; with
 * `unitLimit`, strings (alone or in arrays) cut to that many UTF-16 code units (see `compare`).
 */
function normalAttributes(
  attributes: Attributes | undefined,
  unitLimit = Number.POSITIVE_INFINITY,
): Array<[string, unknown]> {
  if (attributes === undefined) return [];
  const cut = (value: unknown) =>
    typeof value === 'string' && value.length > unitLimit ? value.slice(0, unitLimit) : value;
  return Object.keys(attributes)
    .map((key): [string, unknown] => {
      const value = attributes[key];
      return [
        key === '__proto__' ? PROTO_ALIAS : key,
        Array.isArray(value) && unitLimit !== Number.POSITIVE_INFINITY
          ? value.map(cut)
          : cut(value),
      ];
    })
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function normalize(result: RunResult, unitLimit?: number) {
  const ids = indexIds(result);
  const spans = result.finished.map((span) => {
    const sc = span.spanContext();
    const traceRef = sc.traceId === REMOTE_TRACE_ID ? 'remote' : ids.traces.get(sc.traceId);
    const links = span.links.map((link) => ({
      to: contextRef(link.context, ids),
      // The reference omits `attributes` and `droppedAttributesCount` on a link that has none.
      attributes: normalAttributes(link.attributes, unitLimit),
      droppedAttributesCount: link.droppedAttributesCount ?? 0,
    }));
    return {
      position: ids.spans.get(sc.spanId),
      name: span.name,
      kind: span.kind,
      trace: traceRef,
      parent: contextRef(span.parentSpanContext, ids) ?? null,
      // spanlite sets the W3C Level 2 random flag (0x02) on new root traces; compare the sampled bit.
      sampled: (sc.traceFlags & 1) === 1,
      scope: [span.instrumentationScope.name, span.instrumentationScope.version],
      attributes: normalAttributes(span.attributes, unitLimit),
      droppedAttributesCount: span.droppedAttributesCount,
      events: span.events.map((event) => ({
        name: event.name,
        attributes: normalAttributes(event.attributes, unitLimit),
        droppedAttributesCount: event.droppedAttributesCount ?? 0,
      })),
      droppedEventsCount: span.droppedEventsCount,
      links,
      droppedLinksCount: span.droppedLinksCount,
      // sdk-trace-base keeps an empty description; spec trace/api.md "Set Status": "An empty
      // Description is equivalent with a not present one", and spanlite leaves it out.
      status: { code: span.status.code, message: span.status.message || undefined },
      ended: span.ended,
    };
  });
  spans.sort((a, b) => (a.position ?? -1) - (b.position ?? -1));
  return { observed: result.observed, spans };
}

type NormalForm = ReturnType<typeof normalize>;

/**
 * Over the link limit, sdk-trace-base drops the *oldest* link (as it does for events) and spanlite
 * the *newest*. Spec, trace/sdk.md "Span Limits", only requires that links past `LinkCountLimit`
 * be discarded and counted; it does not say which. So when links were dropped, only their count
 * and the dropped count are compared. (Events: both drop the oldest, and are compared in full.)
 */
function excludeUnspecified(form: NormalForm): NormalForm {
  return {
    observed: form.observed,
    spans: form.spans.map((span) =>
      span.droppedLinksCount > 0
        ? {
            ...span,
            links: span.links.map(() => ({
              to: 'dropped-some',
              attributes: [],
              droppedAttributesCount: 0,
            })),
          }
        : span,
    ),
  };
}

/**
 * Over the attribute value length limit, sdk-trace-base keeps the first `limit` UTF-16 code units
 * (cutting a surrogate pair in two: '😀😀😀' becomes '😀😀\ud83d' at 5) and spanlite the first
 * `limit` characters. Spec, common/README.md "Attribute Limits": a longer value is truncated
 * "counting any character in it as 1". spanlite's value starts with the reference's, so spanlite's
 * strings are compared cut to the limit in code units (attribute-limits.test.ts checks the count
 * by characters).
 */
async function compare(program: readonly Statement[], limits: SpanLimitsOptions | undefined) {
  const ours = excludeUnspecified(
    normalize(await runSpanlite(program, limits), limits?.attributeValueLengthLimit),
  );
  const reference = excludeUnspecified(normalize(await runReference(program, limits)));
  expect(ours).toEqual(reference);
}

// ---------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------

const SMALL_LIMITS: SpanLimitsOptions = {
  attributeCountLimit: 3,
  attributeValueLengthLimit: 5,
  eventCountLimit: 2,
  linkCountLimit: 2,
  attributePerEventCountLimit: 2,
  attributePerLinkCountLimit: 2,
};

// Both SDKs read the active context through the API, so one context manager serves both; with it,
// startActiveSpan nesting parents implicitly as in an application.
const contextManager = new AsyncLocalStorageContextManager(AsyncLocalStorage);
beforeAll(() => {
  context.setGlobalContextManager(contextManager);
});
afterAll(() => {
  context.disable();
});

describe('spanlite and sdk-trace-base finish the same spans for the same API calls', () => {
  it('with small span limits', async () => {
    await fc.assert(
      fc.asyncProperty(programArb, (program) => compare(program, SMALL_LIMITS)),
      { numRuns: Number(process.env.RUNS ?? 300) },
    );
  }, 60_000);

  it('with default span limits', async () => {
    await fc.assert(
      fc.asyncProperty(programArb, (program) => compare(program, undefined)),
      { numRuns: Number(process.env.RUNS ?? 200) },
    );
  }, 60_000);
});

describe('a known difference in spanlite, reported to core', () => {
  // The issue asks that nothing changes on a span after end. sdk-trace-base copies array values
  // when it records them (span, event and link attributes); spanlite keeps the caller's array
  // (attribute-value.ts: `truncateValue` returns its input when nothing is cut, and
  // `setAttribute` stores the value itself under an unlimited length), so a caller that reuses
  // its array rewrites an ended span's attributes before export. `.fails` pins today's
  // behaviour: when core copies arrays, this test starts to fail and `.fails` should go.
  it('an array attribute value is copied when it is set', async () => {
    const values = ['GET'];
    const program: Statement[] = [
      { type: 'start', name: 's', parent: { kind: 'active' } },
      {
        type: 'act',
        target: 0,
        actions: [
          { op: 'setAttribute', key: 'methods', value: values },
          { op: 'addEvent', name: 'e', attributes: { methods: values } },
          { op: 'end' },
        ],
      },
    ];
    const ours = await runSpanlite(program, undefined);
    const reference = await runReference(program, undefined);
    values.push('POST');
    expect(normalize(ours).spans).toEqual(normalize(reference).spans);
  });
});

// ---------------------------------------------------------------------------------------------
// Samplers
// ---------------------------------------------------------------------------------------------

type ParentCase =
  | 'none'
  | 'remote-sampled'
  | 'remote-not-sampled'
  | 'local-sampled'
  | 'local-not-sampled';
const PARENT_CASES: readonly ParentCase[] = [
  'none',
  'remote-sampled',
  'remote-not-sampled',
  'local-sampled',
  'local-not-sampled',
];

function parentContext(parent: ParentCase, traceId: string): Context {
  if (parent === 'none') return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId,
    spanId: '00f067aa0ba902b7',
    traceFlags: parent.endsWith('not-sampled') ? 0 : 1,
    isRemote: parent.startsWith('remote'),
  });
}

type Choice = 'on' | 'off';
const choiceArb = fc.constantFrom<Choice>('on', 'off');
const ours = (c: Choice): Sampler => (c === 'on' ? new AlwaysOnSampler() : new AlwaysOffSampler());
const theirs = (c: Choice): RefSampler =>
  c === 'on' ? new RefAlwaysOnSampler() : new RefAlwaysOffSampler();

/** A sampler description: a plain one, or ParentBased with each delegate optional. */
const samplerSpecArb = fc.oneof(
  choiceArb.map((c) => ({ plain: c })),
  fc.record(
    {
      root: choiceArb,
      remoteParentSampled: choiceArb,
      remoteParentNotSampled: choiceArb,
      localParentSampled: choiceArb,
      localParentNotSampled: choiceArb,
    },
    { requiredKeys: ['root'] },
  ),
);
type SamplerSpec = typeof samplerSpecArb extends fc.Arbitrary<infer T> ? T : never;

function build<S>(
  spec: SamplerSpec,
  make: (c: Choice) => S,
  parentBased: (o: Record<string, S>) => S,
): S {
  if ('plain' in spec) return make(spec.plain);
  const options: Record<string, S> = {};
  for (const [key, value] of Object.entries(spec)) {
    if (value !== undefined) options[key] = make(value as Choice);
  }
  return parentBased(options);
}

const traceIdArb = fc
  .uint8Array({ minLength: 16, maxLength: 16 })
  .map((bytes) => Buffer.from(bytes).toString('hex'))
  .filter((hex) => !/^0+$/.test(hex));

describe('spanlite samplers decide as the reference samplers', () => {
  it('AlwaysOn, AlwaysOff and ParentBased, for no parent and all four parent cases', () => {
    fc.assert(
      fc.property(samplerSpecArb, traceIdArb, kindArb, (spec, traceId, kind) => {
        const spanlite = build<Sampler>(spec, ours, (o) => new ParentBasedSampler(o as never));
        const reference = build<RefSampler>(
          spec,
          theirs,
          (o) => new RefParentBasedSampler(o as never),
        );
        for (const parent of PARENT_CASES) {
          const ctx = parentContext(parent, traceId);
          const a = spanlite.shouldSample(ctx, traceId, 'span', kind, {}, []);
          const b = reference.shouldSample(ctx, traceId, 'span', kind, {}, []);
          expect({ parent, decision: a.decision }).toEqual({ parent, decision: b.decision });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the tracers apply those decisions alike (recording, sampled flag)', () => {
    fc.assert(
      fc.property(samplerSpecArb, traceIdArb, (spec, traceId) => {
        const spanlite = new TracerProvider({
          env: {},
          sampler: build<Sampler>(spec, ours, (o) => new ParentBasedSampler(o as never)),
        }).getTracer('t');
        const reference = new BasicTracerProvider({
          sampler: build<RefSampler>(spec, theirs, (o) => new RefParentBasedSampler(o as never)),
        }).getTracer('t');
        for (const parent of PARENT_CASES) {
          const ctx = parentContext(parent, traceId);
          const a = spanlite.startSpan('s', {}, ctx);
          const b = reference.startSpan('s', {}, ctx);
          expect({
            parent,
            recording: a.isRecording(),
            sampled: a.spanContext().traceFlags & 1,
            traceId: parent === 'none' ? 'new' : a.spanContext().traceId,
          }).toEqual({
            parent,
            recording: b.isRecording(),
            sampled: b.spanContext().traceFlags & 1,
            traceId: parent === 'none' ? 'new' : b.spanContext().traceId,
          });
        }
      }),
      { numRuns: 200 },
    );
  });
});
