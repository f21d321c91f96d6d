import { registerTracing } from '@spanlite/next';
import { after } from 'next/server';

export function register() {
  registerTracing({ serviceName: 'spanlite-example-next-app', after });
}

// errors Next.js catches (a page's render, a server action) go on the request's span
export { onRequestError } from '@spanlite/next';
