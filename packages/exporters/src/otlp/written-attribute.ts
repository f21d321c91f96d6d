/**
 * Bytes [start, end) already written in a writer's buffer that the encoders copy instead of
 * encoding again. `epoch` is the protobuf writer's bookkeeping (see `ProtobufWriter._recorded`).
 */
export interface WrittenRange {
  start: number;
  end: number;
  epoch: number;
}

/** An attribute's primitive value and where its encoded `KeyValue` lies. */
export interface WrittenAttribute extends WrittenRange {
  value: unknown;
}

/** Where a span name was written with the fields that follow it, and their values. */
export interface WrittenName extends WrittenRange {
  flags: number;
  kind: number;
}
