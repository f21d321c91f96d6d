import type { Attributes, AttributeValue, StoredSpan } from '../model';

/**
 * A cheap, deterministic estimate of the heap a span holds, for the store's byte bound. It depends
 * only on the span's content (never on the process's memory), so a span costs the same when
 * received and when replayed from the log. Figures are V8's on 64-bit with pointer compression
 * off, rounded up: an object is ~24 bytes plus 8 a property, a string ~16 plus its length.
 *
 * `resource` and `scope` count as one pointer each: the decoders and the log replay share one
 * object per resource (and scope) block between that block's spans, and the store counts each
 * distinct object once (`estimateResourceBytes`, `estimateScopeBytes`) while a span holds it.
 */
export function estimateSpanBytes(span: StoredSpan): number {
  // The span object (21 properties, flags and the dropped counts among them: the decoders and
  // the log replay set all four, a small integer or undefined), its status object, the three id
  // strings.
  let bytes = 352 + span.name.length + span.service.length;
  const message = span.status.message;
  if (message !== undefined) bytes += 16 + message.length;
  if (span.traceState !== undefined) bytes += 16 + span.traceState.length;
  bytes += attributesBytes(span.attributes);
  const events = span.events;
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    bytes += 64 + event.name.length + attributesBytes(event.attributes);
  }
  const links = span.links;
  for (let i = 0; i < links.length; i++) bytes += 112 + attributesBytes(links[i].attributes);
  return bytes;
}

/** What the store keeps for each distinct resource or scope besides the object: its entry. */
const SHARED_ENTRY_BYTES = 64;

/** A resource's attributes object, counted once however many spans share it. */
export function estimateResourceBytes(resource: Attributes): number {
  return SHARED_ENTRY_BYTES + attributesBytes(resource);
}

/** An instrumentation scope object, counted once however many spans share it. */
export function estimateScopeBytes(scope: StoredSpan['scope']): number {
  let bytes = SHARED_ENTRY_BYTES + 40 + 16 + scope.name.length;
  if (scope.version !== undefined) bytes += 16 + scope.version.length;
  return bytes;
}

function attributesBytes(attributes: Attributes): number {
  let bytes = 32;
  for (const key in attributes) bytes += 32 + key.length + valueBytes(attributes[key]);
  return bytes;
}

function valueBytes(value: AttributeValue): number {
  switch (typeof value) {
    case 'string':
      return 16 + value.length;
    case 'number':
      return 16;
    case 'boolean':
      return 0;
    default: {
      if (value === null) return 0;
      if (Array.isArray(value)) {
        let bytes = 32 + 8 * value.length;
        for (let i = 0; i < value.length; i++) bytes += valueBytes(value[i]);
        return bytes;
      }
      return attributesBytes(value);
    }
  }
}
