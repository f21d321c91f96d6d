import { withTracing } from '@spanlite/next';

// A cached route (ISR): prerendered at build time, regenerated in the background at most once a
// second. Its handler reads nothing of the request, so it stays static; the wrapper reads the
// request too, without Next.js taking that for the handler's reading.
export const revalidate = 1;

export const GET = withTracing(async () => Response.json({ generatedAt: Date.now() }), {
  route: '/api/stock',
});
