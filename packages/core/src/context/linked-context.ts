import type { Context } from '@opentelemetry/api';

/**
 * A context that adds or removes one key on top of another context. The API's own context copies
 * its whole Map on every `setValue`; starting an active span only needs one link (a lookup walks
 * up the chain, which is as deep as the nesting of `setValue` calls, a handful in practice).
 */
export class LinkedContext implements Context {
  constructor(
    private readonly _parent: Context,
    private readonly _key: symbol,
    private readonly _value: unknown,
    private readonly _deleted: boolean,
  ) {}

  getValue(key: symbol): unknown {
    if (key === this._key) return this._deleted ? undefined : this._value;
    return this._parent.getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    return new LinkedContext(this, key, value, false);
  }

  deleteValue(key: symbol): Context {
    return new LinkedContext(this, key, undefined, true);
  }
}

/** The key `trace.setSpan` / `trace.getSpan` of @opentelemetry/api use (a `Symbol.for` key). */
export const SPAN_KEY = Symbol.for('OpenTelemetry Context Key SPAN');
