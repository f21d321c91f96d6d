/**
 * On the spans spanlite's SDK records: every field holds what OTLP can carry (ids of 32 and 16 hex
 * digits, times from 1970 to 2554, a kind and status code of the API, counts ≥ 0), as the SDK
 * checks each on the way in. An exporter can skip checking them again; a span from elsewhere (a
 * bridged SDK, a hand-made object) has no such mark. `Symbol.for`, so that two copies of this
 * package agree.
 */
export const CHECKED_SPAN: unique symbol = Symbol.for('@spanlite/core.checked-span');

/** Whether `span` is one of spanlite's own recorded spans (see {@link CHECKED_SPAN}). */
export function isCheckedSpan(span: object): boolean {
  return (span as { [CHECKED_SPAN]?: boolean })[CHECKED_SPAN] === true;
}
