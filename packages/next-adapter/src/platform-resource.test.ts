import { afterEach, expect, it } from 'vitest';
import { setupTracing, type TestTracing } from '../test/setup-tracing';
import { platformAttributes } from './platform-resource';

let tracing: TestTracing | undefined;
afterEach(async () => {
  await tracing?.teardown();
  tracing = undefined;
});

const VERCEL_ENV = {
  VERCEL: '1',
  VERCEL_REGION: 'iad1',
  VERCEL_ENV: 'preview',
  VERCEL_DEPLOYMENT_ID: 'dpl_123',
  VERCEL_GIT_COMMIT_REF: 'feature/x',
  VERCEL_GIT_COMMIT_SHA: 'a1b2c3',
};

it("names Next.js's runtime, so edge and node spans of one trace can be told apart", () => {
  expect(platformAttributes({ NEXT_RUNTIME: 'edge' })).toEqual({ 'process.runtime.name': 'edge' });
  const node = platformAttributes({ NEXT_RUNTIME: 'nodejs' });
  expect(node['process.runtime.name']).toBe('nodejs');
  expect(node['process.runtime.version']).toBe(
    (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node,
  );
});

it('says nothing outside Next.js and Vercel (Hono, Workers, Bun, Deno)', () => {
  expect(platformAttributes({})).toEqual({});
  expect(platformAttributes({ NEXT_RUNTIME: 'bun', VERCEL_REGION: 'iad1' })).toEqual({});
});

it("describes a Vercel deployment from Vercel's system environment variables", () => {
  expect(platformAttributes({ ...VERCEL_ENV, VERCEL_GIT_COMMIT_REF: '' })).toEqual({
    'cloud.provider': 'vercel',
    'cloud.region': 'iad1',
    'deployment.environment.name': 'preview',
    'deployment.id': 'dpl_123',
    'vcs.ref.head.revision': 'a1b2c3',
  });
});

it('puts them on the resource, under OTEL_RESOURCE_ATTRIBUTES and the resource option', async () => {
  tracing = setupTracing({
    env: {
      ...VERCEL_ENV,
      NEXT_RUNTIME: 'edge',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=staging',
    },
    resource: { 'cloud.region': 'fra1' },
  });
  expect(tracing.handle.provider.resource.attributes).toMatchObject({
    'service.name': 'test',
    'process.runtime.name': 'edge',
    'cloud.provider': 'vercel',
    'cloud.region': 'fra1',
    'deployment.environment.name': 'staging',
    'deployment.id': 'dpl_123',
  });
});
