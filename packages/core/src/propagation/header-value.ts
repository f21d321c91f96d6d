/**
 * What a `TextMapGetter` may hand back, narrowed to what the propagators read: a header value
 * (`string`), several header lines (`string[]`), or nothing. Anything else a hostile or careless
 * carrier returns (numbers, objects, arrays holding non-strings) counts as absent.
 */
export function readHeaderLines(value: unknown): string | string[] | undefined {
  if (typeof value === 'string') return value;
  // Absent first: `Array.isArray` is ~1 µs in the edge runtime's VM (its `Array` is a proxy), and
  // most requests carry no `tracestate` or `baggage`.
  if (value === undefined || value === null || !Array.isArray(value)) return undefined;
  for (const line of value) if (typeof line !== 'string') return undefined;
  if (value.length === 0) return undefined;
  return value.length === 1 ? (value[0] as string) : (value as string[]);
}

/** One header line, or `undefined` when there is none or when there are several. */
export function readSingleHeader(value: unknown): string | undefined {
  const lines = readHeaderLines(value);
  return typeof lines === 'string' ? lines : undefined;
}

/** Index of the first character that is not optional whitespace (SP / HTAB, RFC 7230 §3.2.3). */
export function skipOws(text: string, from: number, to: number): number {
  while (from < to) {
    const c = text.charCodeAt(from);
    if (c !== 0x20 && c !== 0x09) break;
    from++;
  }
  return from;
}

/** One past the last character before trailing optional whitespace in `text[from, to)`. */
export function trimOwsEnd(text: string, from: number, to: number): number {
  while (to > from) {
    const c = text.charCodeAt(to - 1);
    if (c !== 0x20 && c !== 0x09) break;
    to--;
  }
  return to;
}
