import { withTracing } from '@spanlite/next';
import type { NextRequest } from 'next/server';

export const dynamic = 'force-dynamic';

// Calls another route of this app through fetch: the trace continues there (same origin, so the
// trace headers are sent). With ?fail=1 the downstream route fails; this one degrades gracefully
// and answers 200, and its trace is still kept in full under error-always sampling, because the
// downstream's traceresponse says it kept the trace.
export const GET = withTracing(
  async (request: NextRequest) => {
    const target = request.nextUrl.searchParams.has('fail') ? '/api/error' : '/api/items';
    const downstream = await fetch(new URL(target, request.nextUrl.origin), { cache: 'no-store' });
    return Response.json({ downstream: target, status: downstream.status });
  },
  { route: '/api/chain' },
);
