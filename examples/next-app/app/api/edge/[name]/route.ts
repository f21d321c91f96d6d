import { withTracing } from '@spanlite/next';
import { composeGreeting } from '../../../../lib/edge-greeting';

// A dynamic edge route wrapped without `route`: its span is named by the route Next.js gives its
// own (`GET /api/edge/[name]`). Next.js hands it the URL with `name` added to the query, which
// the span's url.query leaves out.
export const runtime = 'edge';
export const dynamic = 'force-dynamic';

export const GET = withTracing(
  async (_request: Request, { params }: { params: Promise<{ name: string }> }) =>
    composeGreeting(`from the edge, to ${(await params).name}`),
);
