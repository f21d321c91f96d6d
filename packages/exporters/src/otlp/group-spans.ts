import {
  attributesKey,
  type FinishedSpan,
  type InstrumentationScope,
  type ResourceLike,
} from '@spanlite/core';
import { checkEncodable } from './encodable-span';

/** The spans of one instrumentation scope, as one OTLP `ScopeSpans`. */
export interface ScopeGroup {
  readonly scope: InstrumentationScope;
  readonly spans: FinishedSpan[];
}

/** The spans of one resource, as one OTLP `ResourceSpans`. */
export interface ResourceGroup {
  readonly resource: ResourceLike;
  readonly scopes: ScopeGroup[];
}

/**
 * Groups a batch by resource (by identity: a tracer provider has one resource object) and, within
 * it, by scope (name, version, schema URL and attributes; scope objects are looked up by identity first so
 * that the key string is built once per scope object, not once per span). Order of first
 * appearance is kept. Throws when a span cannot be written in OTLP (`checkEncodable`).
 */
export function groupSpans(spans: readonly FinishedSpan[]): ResourceGroup[] {
  const groups: ResourceGroup[] = [];
  let lastResource: ResourceLike | undefined;
  let lastScope: InstrumentationScope | undefined;
  let lastGroup: ScopeGroup | undefined;
  let byResource: Map<ResourceLike, ResourceIndex> | undefined;
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i]!;
    checkEncodable(span);
    const resource = span.resource;
    const scope = span.instrumentationScope;
    // Batches are mostly runs of spans from one tracer: try the previous group first.
    if (resource === lastResource && scope === lastScope) {
      lastGroup!.spans.push(span);
      continue;
    }
    byResource ??= new Map();
    let index = byResource.get(resource);
    if (index === undefined) {
      index = { group: { resource, scopes: [] }, byScope: new Map(), byKey: new Map() };
      byResource.set(resource, index);
      groups.push(index.group);
    }
    let group = index.byScope.get(scope);
    if (group === undefined) {
      let key = `${scope.name}@${scope.version ?? ''}:${scope.schemaUrl ?? ''}`;
      // Scopes differing only by their attributes are distinct scopes (spec: Get a Tracer).
      if (scope.attributes !== undefined) key += `\0${attributesKey(scope.attributes)}`;
      group = index.byKey.get(key);
      if (group === undefined) {
        group = { scope, spans: [] };
        index.byKey.set(key, group);
        index.group.scopes.push(group);
      }
      index.byScope.set(scope, group);
    }
    group.spans.push(span);
    lastResource = resource;
    lastScope = scope;
    lastGroup = group;
  }
  return groups;
}

interface ResourceIndex {
  readonly group: ResourceGroup;
  readonly byScope: Map<InstrumentationScope, ScopeGroup>;
  readonly byKey: Map<string, ScopeGroup>;
}
