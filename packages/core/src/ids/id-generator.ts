import { diag } from '@opentelemetry/api';
import { toText } from '../trace/to-text';

/**
 * Makes the ids of new traces and spans in place of the SDK's random ones (the SDK
 * specification's IdGenerator): for ids that must carry something, such as AWS X-Ray's time
 * prefix.
 */
export interface IdGenerator {
  /** 32 lowercase hex digits, not all zero. */
  generateTraceId(): string;
  /** 16 lowercase hex digits, not all zero. */
  generateSpanId(): string;
  /**
   * True when the trace ids' low 56 bits are random, as W3C Trace Context Level 2 defines it
   * (trace/sdk.md, "IdGenerator randomness"): new traces then get the random flag. Otherwise they
   * carry 56 random bits in their `ot` trace state (`rv`) for samplers to use instead.
   */
  readonly randomTraceIds?: boolean;
}

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const NONZERO = /[^0]/;

/**
 * An `IdGenerator`'s ids, checked: an invalid id, or a throw, gives undefined (the caller draws a
 * random id instead), with one warning.
 */
export class CheckedIdGenerator {
  private _warned = false;
  readonly random: boolean;

  constructor(private readonly _generator: IdGenerator) {
    this.random = _generator.randomTraceIds === true;
  }

  traceId(): string | undefined {
    return this._check(() => this._generator.generateTraceId(), TRACE_ID, 'trace');
  }

  spanId(): string | undefined {
    return this._check(() => this._generator.generateSpanId(), SPAN_ID, 'span');
  }

  private _check(make: () => unknown, shape: RegExp, kind: string): string | undefined {
    let id: unknown;
    try {
      id = make();
    } catch (error) {
      id = error;
    }
    if (typeof id === 'string' && shape.test(id) && NONZERO.test(id)) return id;
    if (!this._warned) {
      this._warned = true;
      // toText: String() of a null-prototype object throws, and nothing may throw out of startSpan
      diag.warn(`idGenerator: invalid ${kind} id ${toText(id)}; using a random one`);
    }
    return undefined;
  }
}
