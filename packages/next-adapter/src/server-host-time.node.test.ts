/**
 * The proxy headers a client controls (`Forwarded`, `X-Forwarded-For`, `X-Forwarded-Host`,
 * `X-Forwarded-Proto`, `Host`) are read on every wrapped request, so hostile values must cost time
 * linear in their size: each case compares 64 KiB with 4 KiB, a 16× larger value (see
 * scripts/time-ratio.ts); quadratic work takes 256× as long, and the test fails above 48×.
 */
import { describe, expect, it } from 'vitest';
import { fill, timeRatio } from '../../../scripts/time-ratio';
import { clientAddress, originalScheme, originOf, serverHost } from './server-host';

const PATTERNS = [':', '1:', 'a:.', '[:', ',', ';', 'for=', '"'];

function readAll(headers: Headers): void {
  const forwarded = headers.get('forwarded');
  clientAddress(headers, forwarded);
  originalScheme(headers, forwarded);
  const host = serverHost(headers, forwarded);
  if (host !== undefined) originOf('https', host);
}

describe.each(['x-forwarded-for', 'forwarded', 'x-forwarded-host', 'x-forwarded-proto', 'host'])(
  'a hostile %s',
  (name) => {
    it.each(PATTERNS)('of %j repeated costs time linear in its size', (pattern) => {
      const { ratio } = timeRatio(
        (size) => {
          const value = `${name === 'forwarded' ? 'for=' : ''}${fill(pattern, size)}z`;
          const headers = new Headers({ [name]: value });
          return () => readAll(headers);
        },
        4 * 1024,
        64 * 1024,
      );
      expect(ratio).toBeLessThan(48);
    });
  },
);
