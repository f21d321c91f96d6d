import { trace } from '@opentelemetry/api';
import { findItems, type Item } from './item-repository';

const tracer = trace.getTracer('example-next-app');

/** The service layer: a span around the business logic, with the repository's span inside. */
export async function listItems(): Promise<Item[]> {
  return tracer.startActiveSpan('ItemService.list', async (span) => {
    try {
      const items = await findItems();
      span.setAttribute('items.count', items.length);
      return items;
    } finally {
      span.end();
    }
  });
}
