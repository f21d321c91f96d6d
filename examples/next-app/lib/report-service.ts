import { trace } from '@opentelemetry/api';

const tracer = trace.getTracer('example-next-app');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A repository query that takes `ms`: one span, as a database client would make. */
function query(name: string, ms: number): Promise<number> {
  return tracer.startActiveSpan(`ReportRepository.${name}`, async (span) => {
    try {
      span.setAttributes({ 'db.system.name': 'other_sql', 'db.operation.name': 'SELECT' });
      await sleep(ms);
      return ms;
    } finally {
      span.end();
    }
  });
}

/**
 * A slow request: two queries run side by side (the slower one decides when they are done),
 * then the report is rendered. The local collector's critical path goes through the slow query
 * and the render step; its bottlenecks name them.
 */
export async function buildReport(): Promise<{ rows: number }> {
  return tracer.startActiveSpan('ReportService.build', async (span) => {
    try {
      const [orders, customers] = await Promise.all([query('orders', 180), query('customers', 40)]);
      await tracer.startActiveSpan('ReportService.render', async (render) => {
        await sleep(30);
        render.end();
      });
      return { rows: orders + customers };
    } finally {
      span.end();
    }
  });
}
