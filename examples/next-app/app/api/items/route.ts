import { withTracing } from '@spanlite/next';
import { listItems } from '../../../lib/item-service';

export const dynamic = 'force-dynamic';

export const GET = withTracing(
  async () => Response.json({ items: await listItems(), runtime: 'nodejs' }),
  { route: '/api/items' },
);
