/**
 * An attribute's value and where its encoded `KeyValue` lies in a writer's buffer, bytes
 * [start, end): the encoders copy a `KeyValue` whose key and primitive value repeat those last
 * written, instead of encoding it again.
 */
export interface WrittenAttribute {
  value: unknown;
  start: number;
  end: number;
}
