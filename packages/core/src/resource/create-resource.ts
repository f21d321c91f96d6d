import { type Attributes, diag } from '@opentelemetry/api';
import { type EnvSource, readString } from '../config/env';
import type { ResourceLike } from '../export/finished-span';
import { getExecutableName, SDK_LANGUAGE } from '../runtime/edge';
import { limitAttributes } from '../trace/attribute-value';
import { toText } from '../trace/to-text';
import { VERSION } from '../version';
import { parseResourceAttributes } from './parse-resource-attributes';
import { Resource } from './resource';

export interface ResourceOptions {
  serviceName?: string;
  /** Attributes, or a resource (this package's, `@opentelemetry/resources`') with a schema URL. */
  attributes?: Attributes | ResourceLike;
  /** What a resource detector found about the platform; every other source overrides it. */
  detected?: Attributes;
}

/**
 * The SDK's resource, later sources winning: `telemetry.sdk.*` and the default service name,
 * then the detected attributes, OTEL_RESOURCE_ATTRIBUTES, OTEL_SERVICE_NAME, the `attributes` option, the `serviceName`
 * option. Without any name, `service.name` is the specification's fallback (resource semantic
 * conventions): `unknown_service:` and `process.executable.name` (`unknown_service:node` in the
 * node build), or `unknown_service` where there is no executable (the edge build).
 */
export function createResource(options: ResourceOptions, env: EnvSource): Resource {
  const executable = getExecutableName();
  const attributes: Attributes = {
    'service.name': executable === undefined ? 'unknown_service' : `unknown_service:${executable}`,
    'telemetry.sdk.name': 'spanlite',
    'telemetry.sdk.language': SDK_LANGUAGE,
    'telemetry.sdk.version': VERSION,
    ...options.detected,
    ...parseResourceAttributes(readString(env, 'OTEL_RESOURCE_ATTRIBUTES'), env),
  };
  const envName = readString(env, 'OTEL_SERVICE_NAME');
  if (envName !== undefined) attributes['service.name'] = envName;
  const given = options.attributes;
  let resource: ResourceLike | undefined;
  try {
    resource = isResource(given) ? given : undefined;
    // read whole before any of it is taken: a getter that throws leaves none of it
    const read = { ...(resource !== undefined ? resource.attributes : given) };
    Object.assign(attributes, read);
  } catch (error) {
    diag.warn(`resource: the attributes given could not be read (${toText(error)}); ignored`);
  }
  if (options.serviceName) attributes['service.name'] = options.serviceName;
  // Held to the rules of span attributes (no Date, BigInt or function; no empty key), and copied,
  // so that a cycle cannot break every export and an array changed later changes nothing.
  const valid = limitAttributes(attributes, Infinity, Infinity, (key) =>
    diag.warn(`resource: invalid attribute "${key}"; dropped`),
  );
  return new Resource(valid.attributes, resource?.schemaUrl);
}

/**
 * A resource object rather than attributes: it has `merge`, as this package's and every
 * `@opentelemetry/resources` resource do, and no attribute value is a function (spec
 * resource/sdk.md: the SDK "MUST allow for creation of Resources and for associating them with
 * telemetry"; Create: the schema URL "should be recorded in the emitted resource").
 */
function isResource(value: Attributes | ResourceLike | undefined): value is ResourceLike {
  return (
    typeof (value as { merge?: unknown } | undefined)?.merge === 'function' &&
    typeof value!.attributes === 'object' &&
    value!.attributes !== null
  );
}
