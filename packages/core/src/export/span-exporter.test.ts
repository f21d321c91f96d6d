import { describe, expect, it } from 'vitest';
import { ExportResultCode } from './span-exporter';

describe('ExportResultCode', () => {
  it('uses the reference SDK numbering, so exporters written for it interoperate', () => {
    expect(ExportResultCode).toEqual({ SUCCESS: 0, FAILED: 1 });
  });
});
