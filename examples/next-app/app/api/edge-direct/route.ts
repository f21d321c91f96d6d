import { withTracing } from '@spanlite/next';
import { composeGreeting } from '../../../lib/edge-greeting';

// An edge route that no middleware matches: under `next start` the node server runs it in the
// edge sandbox with the request's headers, into which @spanlite/next writes the server span's
// context, so the route's spans stay in the request's trace.
export const runtime = 'edge';
export const dynamic = 'force-dynamic';

export const GET = withTracing(async () => composeGreeting('from the edge, without middleware'), {
  route: '/api/edge-direct',
});
