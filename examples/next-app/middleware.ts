import { withEdgeTracing } from '@spanlite/next';
import { NextResponse } from 'next/server';

export const middleware = withEdgeTracing(async () => {
  const response = NextResponse.next();
  response.headers.set('x-example-middleware', 'seen');
  return response;
});

// Not /api/error: middleware runs before the route and cannot learn that it will fail, so under
// error-always sampling its segment would be dropped (see the adapter's README).
export const config = { matcher: ['/api/items', '/api/edge', '/api/chain'] };
