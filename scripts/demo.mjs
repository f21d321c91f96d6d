// `npm run demo`: until the example Next.js app exists, a small service traced with spanlite,
// its spans printed as a tree by the console exporter. Uses the built packages, as a user would.
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { BatchSpanProcessor, TracerProvider } from '@spanlite/core';
import { ConsoleSpanExporter } from '@spanlite/exporters';

const provider = new TracerProvider({
  serviceName: 'spanlite-demo',
  spanProcessors: [new BatchSpanProcessor(new ConsoleSpanExporter())],
}).register();

const tracer = trace.getTracer('spanlite-demo', '1.0.0');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function findCart(userId) {
  return tracer.startActiveSpan('CartRepository.find', { kind: SpanKind.CLIENT }, async (span) => {
    span.setAttributes({
      'db.system.name': 'postgresql',
      'db.operation.name': 'SELECT',
      'user.id': userId,
    });
    await sleep(8);
    span.end();
    return { items: 3 };
  });
}

async function charge(amount) {
  return tracer.startActiveSpan('PaymentService.charge', async (span) => {
    try {
      await sleep(12);
      if (amount > 100) throw new Error('card declined');
      return 'ok';
    } catch (error) {
      span.recordException(error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
      throw error;
    } finally {
      span.end();
    }
  });
}

async function handleRequest(path, headers) {
  const parent = propagation.extract(context.active(), headers);
  return tracer.startActiveSpan(`GET ${path}`, { kind: SpanKind.SERVER }, parent, async (span) => {
    span.setAttributes({ 'http.request.method': 'GET', 'url.path': path, 'http.route': path });
    try {
      const cart = await findCart('u-42');
      await charge(cart.items * (path === '/checkout/big' ? 50 : 10));
      span.setAttribute('http.response.status_code', 200);
    } catch {
      span.setAttribute('http.response.status_code', 500);
      span.setStatus({ code: SpanStatusCode.ERROR });
    } finally {
      span.end();
    }
  });
}

console.log("spanlite demo: two requests, one continuing a caller's trace, one failing\n");
await handleRequest('/checkout', {
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
});
await handleRequest('/checkout/big', {});
await provider.forceFlush();
await provider.shutdown();
