/**
 * A span processor typed against the reference SDK (@opentelemetry/sdk-trace-base 2.x: its own
 * processors, and those of other libraries written for it, whose `onStart` takes its `Span` and
 * `onEnd` its `ReadableSpan`) goes into spanlite's provider as it is, with no cast, and reads
 * spanlite's spans as the ReadableSpans they are shaped like.
 */
import { type Context, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  type Span as ReferenceSpan,
  type SpanProcessor as ReferenceSpanProcessor,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { expect, it } from 'vitest';
import { TracerProvider } from '../src/index';

/** A processor of another library's, typed as the reference SDK types them. */
class ReferenceTypedProcessor implements ReferenceSpanProcessor {
  readonly started: Array<{ name: string; parentSpanId: string | undefined }> = [];
  readonly ended: ReadableSpan[] = [];
  onStart(span: ReferenceSpan, parentContext: Context): void {
    this.started.push({
      name: span.name,
      parentSpanId: trace.getSpan(parentContext)?.spanContext().spanId,
    });
  }
  onEnd(span: ReadableSpan): void {
    this.ended.push(span);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

it("takes the reference SDK's span processors, and they read spanlite's spans", async () => {
  const exporter = new InMemorySpanExporter();
  const library = new ReferenceTypedProcessor();
  const provider = new TracerProvider({
    env: {},
    spanProcessors: [new SimpleSpanProcessor(exporter), library],
  });
  const tracer = provider.getTracer('checkout', '1.0.0');
  const parent = tracer.startSpan('GET /cart', { kind: SpanKind.SERVER });
  const child = tracer.startSpan('load cart', {}, trace.setSpan(ROOT_CONTEXT, parent));
  child.setAttribute('cart.items', 3);
  child.end();
  parent.end();
  await provider.forceFlush();

  const [childSpan, parentSpan] = exporter.getFinishedSpans();
  expect(childSpan!.name).toBe('load cart');
  expect(childSpan!.parentSpanContext?.spanId).toBe(parentSpan!.spanContext().spanId);
  expect(childSpan!.attributes).toEqual({ 'cart.items': 3 });
  expect(childSpan!.instrumentationScope).toMatchObject({ name: 'checkout', version: '1.0.0' });
  expect(parentSpan!.kind).toBe(SpanKind.SERVER);
  expect(parentSpan!.parentSpanContext).toBeUndefined();
  expect(parentSpan!.ended).toBe(true);
  expect(library.started).toEqual([
    { name: 'GET /cart', parentSpanId: undefined },
    { name: 'load cart', parentSpanId: parentSpan!.spanContext().spanId },
  ]);
  expect(library.ended.map((span) => span.name)).toEqual(['load cart', 'GET /cart']);
});
