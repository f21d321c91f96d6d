import { type EnvSource, readEnvString } from '@spanlite/core';
import { bundledNextRuntime, serverRuntime } from './runtime/edge';
import { inWorkerd } from './workerd';

/** Vercel's system environment variables, by the resource attribute each one fills. */
const VERCEL_ATTRIBUTES: readonly (readonly [attribute: string, variable: string])[] = [
  ['cloud.region', 'VERCEL_REGION'],
  ['deployment.environment.name', 'VERCEL_ENV'],
  ['deployment.id', 'VERCEL_DEPLOYMENT_ID'],
  ['vcs.ref.head.name', 'VERCEL_GIT_COMMIT_REF'],
  ['vcs.ref.head.revision', 'VERCEL_GIT_COMMIT_SHA'],
];

/**
 * Resource attributes that say where this copy of the SDK runs: Next.js's runtime (`nodejs` or
 * `edge`, so a trace shows which side of the app each span comes from) and, on Vercel, the
 * region, environment, deployment and commit. In Cloudflare's workerd (a Worker, or Next.js
 * through OpenNext, where the middleware's and the server's code share one registration) the
 * runtime is `workerd`. `OTEL_RESOURCE_ATTRIBUTES` and the `resource` option override them.
 */
export function platformAttributes(env: EnvSource): Record<string, string> {
  const attributes: Record<string, string> = {};
  const runtime = readEnvString(env, 'NEXT_RUNTIME') ?? bundledNextRuntime();
  if (inWorkerd()) attributes['process.runtime.name'] = 'workerd';
  else if (runtime === 'edge') attributes['process.runtime.name'] = runtime;
  else if (runtime === 'nodejs') {
    // Next.js's Node.js runtime, in whichever runtime runs its server
    const [name, version] = serverRuntime();
    attributes['process.runtime.name'] = name;
    if (version !== undefined) attributes['process.runtime.version'] = version;
  }
  if (readEnvString(env, 'VERCEL') === '1') {
    attributes['cloud.provider'] = 'vercel';
    for (const [attribute, variable] of VERCEL_ATTRIBUTES) {
      const value = readEnvString(env, variable);
      if (value !== undefined) attributes[attribute] = value;
    }
  }
  return attributes;
}
