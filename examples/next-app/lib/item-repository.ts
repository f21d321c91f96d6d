import { trace } from '@opentelemetry/api';

const tracer = trace.getTracer('example-next-app');

export interface Item {
  id: number;
  name: string;
}

const ITEMS: Item[] = [
  { id: 1, name: 'kettle' },
  { id: 2, name: 'teapot' },
];

/** The repository layer: one span per query, as a database client library would make. */
export async function findItems(): Promise<Item[]> {
  return tracer.startActiveSpan('ItemRepository.findAll', async (span) => {
    try {
      span.setAttributes({ 'db.system.name': 'other_sql', 'db.operation.name': 'SELECT' });
      await new Promise((resolve) => setTimeout(resolve, 2));
      return ITEMS;
    } finally {
      span.end();
    }
  });
}
