import { ROOT_CONTEXT, type Span, SpanKind, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createTestProvider } from '../../test/helpers/test-provider';
import { setSpanContext } from '../context/set-span-context';
import { localRootOf } from './local-root';

const REMOTE = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: 1,
  isRemote: true,
};

describe('localRootOf', () => {
  it('finds the outermost local span above a span, itself for a root', () => {
    const { tracer } = createTestProvider();
    const root = tracer.startSpan('GET /items', { kind: SpanKind.SERVER });
    const child = tracer.startSpan('list', {}, trace.setSpan(ROOT_CONTEXT, root));
    const grandchild = tracer.startSpan('query', {}, trace.setSpan(ROOT_CONTEXT, child));
    expect(localRootOf(grandchild)).toBe(root);
    expect(localRootOf(child)).toBe(root);
    expect(localRootOf(root)).toBe(root);
  });

  it('stops below a remote parent, and keeps finding the root after spans end', () => {
    const { tracer, spans } = createTestProvider();
    const remote = setSpanContext(ROOT_CONTEXT, REMOTE);
    const root = tracer.startSpan('GET /items', { kind: SpanKind.SERVER }, remote);
    const child = tracer.startSpan('list', {}, trace.setSpan(remote, root));
    child.end();
    root.end();
    expect(localRootOf(child)).toBe(root);
    expect(localRootOf(spans[0])).toBe(root);
  });

  it('is undefined for spans that record nothing or are not this SDK’s', () => {
    const { tracer } = createTestProvider({ sampler: 'always_off' });
    expect(localRootOf(tracer.startSpan('dropped'))).toBeUndefined();
    expect(localRootOf(trace.wrapSpanContext(REMOTE))).toBeUndefined();
    expect(localRootOf({ parent: undefined, isRecording: () => true } as unknown as Span)).toBe(
      undefined,
    );
    expect(localRootOf(undefined)).toBeUndefined();
  });

  it('stops at a recording span whose parent is a sampled-out local span', () => {
    const { tracer: dropping } = createTestProvider({ sampler: 'always_off' });
    const { tracer } = createTestProvider({ sampler: 'always_on' });
    const dropped = dropping.startSpan('dropped');
    const kept = tracer.startSpan('kept', {}, trace.setSpan(ROOT_CONTEXT, dropped));
    expect(kept.isRecording()).toBe(true);
    expect(localRootOf(kept)).toBe(kept);
  });
});
