import { withTracing } from '@spanlite/next';
import { redirect } from 'next/navigation';

export const dynamic = 'force-dynamic';

// redirect() throws; Next.js answers 307. The span records the status, not an error.
export const GET = withTracing(
  async () => {
    redirect('/api/items');
  },
  { route: '/api/moved' },
);
