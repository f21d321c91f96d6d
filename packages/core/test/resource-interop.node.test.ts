/**
 * A resource made with `@opentelemetry/resources` (what users of the reference SDK, @vercel/otel
 * and the Next.js docs build) passed as spanlite's `resource` option: its attributes and schema
 * URL are used, not its internals (spec resource/sdk.md: the SDK "MUST allow for creation of
 * Resources and for associating them with telemetry").
 */
import { resourceFromAttributes } from '@opentelemetry/resources';
import { expect, it } from 'vitest';
import { TracerProvider } from '../src/index';

it('uses the attributes and schema URL of an @opentelemetry/resources resource', () => {
  const given = resourceFromAttributes(
    { 'service.name': 'checkout', 'deployment.environment.name': 'prod' },
    { schemaUrl: 'https://opentelemetry.io/schemas/1.30.0' },
  );
  const provider = new TracerProvider({ resource: given, env: {} });
  expect(provider.resource.attributes['service.name']).toBe('checkout');
  expect(provider.resource.attributes['deployment.environment.name']).toBe('prod');
  expect(provider.resource.schemaUrl).toBe('https://opentelemetry.io/schemas/1.30.0');
  for (const key of Object.keys(provider.resource.attributes)) expect(key).not.toMatch(/^_/);
});
