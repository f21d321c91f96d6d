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

/** One item by its id, through the same repository query. */
export async function getItem(id: number): Promise<Item | undefined> {
  return tracer.startActiveSpan('ItemService.get', async (span) => {
    try {
      span.setAttribute('item.id', id);
      return (await findItems()).find((item) => item.id === id);
    } finally {
      span.end();
    }
  });
}

/**
 * Work after the response (`after()` from `next/server`): counting a view. Its span ends after the
 * request's span has; the adapter flushes it on its own, so it is not left to the batch timer.
 */
export async function recordView(count: number): Promise<void> {
  await tracer.startActiveSpan('ItemService.recordView', async (span) => {
    try {
      span.setAttribute('items.count', count);
      await new Promise((resolve) => setTimeout(resolve, 5));
    } finally {
      span.end();
    }
  });
}
