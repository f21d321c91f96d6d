import { getRequestSpan } from '@spanlite/next';
import { headers } from 'next/headers';

interface Listing {
  items: { id: number; name: string }[];
}

// A page (a server component): no wrapper runs here, Next.js's own request span is the request's.
// It calls this app's /api/items by the host the client asked for; the trace continues there.
export default async function Shelf() {
  const incoming = await headers();
  const origin = `${incoming.get('x-forwarded-proto') ?? 'http'}://${incoming.get('host')}`;
  const response = await fetch(new URL('/api/items', origin), { cache: 'no-store' });
  const { items } = (await response.json()) as Listing;
  // Next.js's request span for this page (GET /shelf), whatever span is active while it renders
  getRequestSpan()?.setAttribute('app.shelf.size', items.length);
  return (
    <main>
      <h1>Shelf</h1>
      <ul>
        {items.map((item) => (
          <li key={item.id}>{item.name}</li>
        ))}
      </ul>
    </main>
  );
}
