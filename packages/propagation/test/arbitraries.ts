import fc from 'fast-check';

const HEX = '0123456789abcdef'.split('');

/** Lowercase hex of `length` characters, not all zeros. */
export function hexId(length: number): fc.Arbitrary<string> {
  return fc
    .array(fc.constantFrom(...HEX), { minLength: length, maxLength: length })
    .map((chars) => chars.join(''))
    .filter((id) => /[1-9a-f]/.test(id));
}

const KEY_FIRST = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('');
const KEY_REST = [...KEY_FIRST, '_', '-', '*', '/', '@'];

/** A tracestate key of the current W3C grammar. */
export const traceStateKey = fc
  .tuple(fc.constantFrom(...KEY_FIRST), fc.array(fc.constantFrom(...KEY_REST), { maxLength: 20 }))
  .map(([first, rest]) => first + rest.join(''));

/** A tracestate value: printable ASCII without `,` and `=`, not ending in a space. */
export const traceStateValue = fc
  .array(
    fc.integer({ min: 0x20, max: 0x7e }).filter((c) => c !== 0x2c && c !== 0x3d),
    { minLength: 1, maxLength: 30 },
  )
  .map((codes) => String.fromCharCode(...codes))
  .filter((value) => !value.endsWith(' '));

/** Unique tracestate entries, at most 32, short enough to be sent whole (512 characters). */
export const traceStateEntries = fc
  .uniqueArray(fc.tuple(traceStateKey, traceStateValue), {
    maxLength: 10,
    selector: ([key]) => key,
  })
  .filter((entries) => entries.map(([k, v]) => `${k}=${v}`).join(',').length <= 512);

const TCHARS =
  "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".split('');

/** An RFC 7230 token: a baggage key. */
export const token = fc
  .array(fc.constantFrom(...TCHARS), { minLength: 1, maxLength: 12 })
  .map((chars) => chars.join(''));

const OCTETS = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) =>
  String.fromCharCode(0x21 + i),
).filter((c) => !'",;\\'.includes(c));

/** Baggage properties as spanlite writes them: `k` or `k=v`, joined with `;`. */
export const baggageProperties = fc
  .array(
    fc.tuple(
      token,
      fc.option(fc.array(fc.constantFrom(...OCTETS), { maxLength: 8 }).map((c) => c.join(''))),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((properties) =>
    properties.map(([key, value]) => (value === null ? key : `${key}=${value}`)).join(';'),
  );
