import { withTracing } from '@spanlite/next';
import { composeGreeting } from '../../../lib/edge-greeting';

export const runtime = 'edge';
export const dynamic = 'force-dynamic';

export const GET = withTracing(async () => composeGreeting('from the edge'), {
  route: '/api/edge',
});
