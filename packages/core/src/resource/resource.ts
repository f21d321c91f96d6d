import type { Attributes } from '@opentelemetry/api';
import type { ResourceLike } from '../export/finished-span';

/** An immutable set of attributes describing what produces the telemetry. */
export class Resource implements ResourceLike {
  readonly attributes: Attributes;

  constructor(
    attributes: Attributes,
    readonly schemaUrl?: string,
  ) {
    this.attributes = Object.freeze({ ...attributes });
  }

  /** A resource with `other`'s attributes laid over this one's. */
  merge(other: ResourceLike | undefined): Resource {
    if (other === undefined) return this;
    return new Resource(
      { ...this.attributes, ...other.attributes },
      other.schemaUrl ?? this.schemaUrl,
    );
  }
}
