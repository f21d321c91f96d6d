import { withTracing } from '@spanlite/next';
import { getItem } from '../../../../lib/item-service';

export const dynamic = 'force-dynamic';

// Next.js 15 and 16 pass the params as a promise (Next.js 14: a plain object).
type Context = { params: Promise<{ id: string }> };

export const GET = withTracing(
  async (_request: Request, { params }: Context) => {
    const item = await getItem(Number((await params).id));
    return item === undefined
      ? Response.json({ error: 'no such item' }, { status: 404 })
      : Response.json(item);
  },
  // the route template, as in the file system: `http.route` and the span name `GET /api/items/[id]`
  { route: '/api/items/[id]' },
);
