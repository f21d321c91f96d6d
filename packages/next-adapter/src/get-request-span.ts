import { type Span, trace } from '@opentelemetry/api';
import { getTracingState } from './tracing-state';

/**
 * The span that stands for the request this process is handling, for attributes that describe
 * the whole request (`user.id`, a tenant): the server span the wrappers enrich. Under Next.js
 * that is its request span (`GET /api/items`), also where the active span is one of Next.js's
 * below it (`executing api route`, a render span) or one of the app's own, and, with
 * `NEXT_OTEL_VERBOSE=1`, the request span below the two spans Next.js starts above it; outside
 * Next.js, the wrapper's own server span. Outside a request, the local root of the active span.
 * Undefined before `registerTracing` has run, with `OTEL_SDK_DISABLED=true`, or without an active
 * span of spanlite's. Never throws.
 */
export function getRequestSpan(): Span | undefined {
  try {
    const state = getTracingState();
    return state?.requestSpanOf(trace.getSpan(state.context.active()));
  } catch {
    return undefined;
  }
}
