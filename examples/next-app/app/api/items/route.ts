import { getRequestSpan, withTracing } from '@spanlite/next';
import { after } from 'next/server';
import { listItems, recordView } from '../../../lib/item-service';

export const dynamic = 'force-dynamic';

export const GET = withTracing(
  async () => {
    const items = await listItems();
    // on the request's span (GET /api/items), not on the span active here
    getRequestSpan()?.setAttribute('app.items.count', items.length);
    after(() => recordView(items.length));
    return Response.json({ items, runtime: 'nodejs' });
  },
  { route: '/api/items' },
);
