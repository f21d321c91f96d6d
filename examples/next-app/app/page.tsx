export default function Home() {
  return (
    <main>
      <h1>spanlite + Next.js</h1>
      <ul>
        <li>
          <a href="/api/items">/api/items</a>: node route, service and repository spans
        </li>
        <li>
          <a href="/api/edge">/api/edge</a>: edge route
        </li>
        <li>
          <a href="/api/chain">/api/chain</a>: calls /api/items through fetch
        </li>
        <li>
          <a href="/api/chain?fail=1">/api/chain?fail=1</a>: calls /api/error, which fails
        </li>
        <li>
          <a href="/api/error">/api/error</a>: answers 500
        </li>
        <li>
          <a href="/shelf">/shelf</a>: a page that calls /api/items through fetch
        </li>
      </ul>
    </main>
  );
}
