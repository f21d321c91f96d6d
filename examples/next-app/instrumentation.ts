import { registerTracing } from '@spanlite/next';
import { after } from 'next/server';

export function register() {
  registerTracing({ serviceName: 'spanlite-example-next-app', after });
}
