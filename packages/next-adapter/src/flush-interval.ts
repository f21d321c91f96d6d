import { type EnvSource, readEnvString } from '@spanlite/core';
import { inWorkerd } from './workerd';

/** The least time between two flushes after responses where a function may freeze after one. */
export const FREEZING_FLUSH_INTERVAL_MILLIS = 20;

/**
 * The least time between two flushes in the edge sandbox of Next.js's own server. There each
 * flush goes to the request context's `waitUntil`, which the server waits for as it stops, so
 * none is lost on SIGTERM; and the middleware's copy, flushing after each request it ran, made
 * most of the export requests of a self-hosted server (58 % of them for 11 % of the spans, at
 * 120 requests/s with the example app), each costing more server CPU than its spans' encoding.
 */
export const SERVER_SANDBOX_FLUSH_INTERVAL_MILLIS = 1000;

/**
 * Variables of the platforms that run Next.js's own server where it may freeze or be throttled
 * between requests: AWS Lambda (a standalone `server.js` behind the Lambda Web Adapter) and Cloud
 * Run. (Vercel, Netlify and OpenNext run Next.js without that server.)
 */
const FREEZING_PLATFORMS = ['AWS_LAMBDA_FUNCTION_NAME', 'K_SERVICE'];

/**
 * The flushes' interval for this copy: longer in an edge sandbox of Next.js's own long-running
 * server (`next start`, a standalone `server.js`: its environment, which the sandbox is given a
 * copy of, names the server's origin in `__NEXT_PRIVATE_ORIGIN`), unless a serverless platform's
 * variable says the process may freeze or it is `next dev`; 20 ms anywhere else.
 */
export function flushIntervalMillis(env: EnvSource): number {
  if (readEnvString(env, 'NEXT_RUNTIME') !== 'edge') return FREEZING_FLUSH_INTERVAL_MILLIS;
  // `next dev`: no load to spare exports for, and a developer's collector shows a trace without
  // its middleware spans for up to the interval (Ctrl-C lost them: the dev server does not wait)
  if (
    readEnvString(env, '__NEXT_PRIVATE_ORIGIN') === undefined ||
    readEnvString(env, 'NODE_ENV') === 'development' ||
    inWorkerd()
  ) {
    return FREEZING_FLUSH_INTERVAL_MILLIS;
  }
  for (const name of FREEZING_PLATFORMS) {
    if (readEnvString(env, name) !== undefined) return FREEZING_FLUSH_INTERVAL_MILLIS;
  }
  return SERVER_SANDBOX_FLUSH_INTERVAL_MILLIS;
}
