import { withTracing } from '@spanlite/next';
import { buildReport } from '../../../lib/report-service';

export const dynamic = 'force-dynamic';

// The slow route of the demo: about 210 ms, most of it in one query.
export const GET = withTracing(async () => Response.json(await buildReport()), {
  route: '/api/report',
});
