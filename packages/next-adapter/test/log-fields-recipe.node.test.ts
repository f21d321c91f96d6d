/**
 * The README's "Trace ids in your logs": the `traceFields()` function it gives, called in a
 * wrapped handler, names the request's trace and the active span by the field names of the
 * OpenTelemetry specification's "Trace Context in non-OTLP Log Formats" (`trace_id`, `span_id`,
 * `trace_flags` in W3C's form), and gives nothing outside a span or for an invalid context. Also
 * what the README says of `trace_flags` under error-always: not sampled while a segment is held
 * back, sampled once an error keeps it.
 */
import {
  context,
  INVALID_SPAN_CONTEXT,
  isSpanContextValid,
  type SpanContext,
  trace,
} from '@opentelemetry/api';
import { InMemorySpanExporter } from '@spanlite/exporters';
import { registerTracing, withTracing } from '@spanlite/next';
import { beforeEach, expect, it } from 'vitest';

// lib/trace-fields.ts in the README
function traceFields(): Record<string, string> {
  const context = trace.getActiveSpan()?.spanContext();
  if (context === undefined || !isSpanContextValid(context)) return {};
  return {
    trace_id: context.traceId,
    span_id: context.spanId,
    trace_flags: context.traceFlags.toString(16).padStart(2, '0'),
  };
}

const exported = new InMemorySpanExporter();
const tracing = registerTracing({
  serviceName: 'logs',
  exporter: exported,
  instrumentFetch: false,
  // a ratio of 0 with error-always: every trace held back, a failed one kept
  sampler: 'traceidratio',
  ratio: 0,
  errors: 'always',
  env: {},
});

const lines: Record<string, string>[] = [];
const tracer = trace.getTracer('shop');
const GET = withTracing(
  async (request: Request) => {
    lines.push({ msg: 'handling', ...traceFields() });
    await tracer.startActiveSpan('ItemService.list', async (span) => {
      lines.push({ msg: 'listing', ...traceFields() });
      span.end();
    });
    const failed = new URL(request.url).searchParams.has('fail');
    return new Response(failed ? 'no items today' : 'ok', { status: failed ? 500 : 200 });
  },
  { route: '/api/items' },
);

const idsOf = (span: { spanContext(): SpanContext }) => span.spanContext();

beforeEach(() => {
  exported.reset();
  lines.length = 0;
});

it("gives the failed request's trace and each line's span, which the kept trace then holds", async () => {
  await GET(new Request('http://localhost/api/items?fail'));
  expect(await tracing.forceFlush()).toBe('success');
  const spans = exported.getFinishedSpans();
  const server = spans.find((span) => span.name === 'GET /api/items')!;
  const child = spans.find((span) => span.name === 'ItemService.list')!;
  expect(lines).toEqual([
    {
      msg: 'handling',
      trace_id: idsOf(server).traceId,
      span_id: idsOf(server).spanId,
      // held back while it runs: not sampled, the trace id random (Level 2's flag)
      trace_flags: '02',
    },
    {
      msg: 'listing',
      trace_id: idsOf(server).traceId,
      span_id: idsOf(child).spanId,
      trace_flags: '02',
    },
  ]);
  // kept by the 500, and exported sampled
  expect(idsOf(server).traceFlags).toBe(0x03);
});

it('gives the ids of a trace that is not exported, and a caller-given trace id', async () => {
  await GET(
    new Request('http://localhost/api/items', {
      headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00' },
    }),
  );
  expect(await tracing.forceFlush()).toBe('success');
  expect(exported.getFinishedSpans()).toEqual([]);
  expect(lines).toHaveLength(2);
  for (const line of lines) {
    expect(line).toMatchObject({ trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', trace_flags: '00' });
    expect(line.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(line.span_id).not.toBe('00f067aa0ba902b7');
  }
});

it('gives nothing outside a span, or for a placeholder span of zeros', () => {
  expect(traceFields()).toEqual({});
  const placeholder = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
  expect(context.with(trace.setSpan(context.active(), placeholder), traceFields)).toEqual({});
});
