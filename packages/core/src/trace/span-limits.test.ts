import { describe, expect, it } from 'vitest';
import { captureDiag } from '../../test/helpers/test-provider';
import { resolveSpanLimits } from './span-limits';

describe('span limits configuration', () => {
  it('defaults to the specification: 128 each, value length unlimited', () => {
    expect(resolveSpanLimits(undefined, {})).toEqual({
      attributeCountLimit: 128,
      attributeValueLengthLimit: Number.POSITIVE_INFINITY,
      eventCountLimit: 128,
      linkCountLimit: 128,
      attributePerEventCountLimit: 128,
      attributePerLinkCountLimit: 128,
    });
  });

  it('reads OTEL_* variables, span-specific over general, options over both', () => {
    const env = {
      OTEL_ATTRIBUTE_COUNT_LIMIT: '10',
      OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '20',
      OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '30',
      OTEL_SPAN_EVENT_COUNT_LIMIT: '4',
      OTEL_SPAN_LINK_COUNT_LIMIT: '5',
      OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT: '6',
    };
    expect(resolveSpanLimits({ linkCountLimit: 1 }, env)).toEqual({
      attributeCountLimit: 20,
      attributeValueLengthLimit: 30,
      eventCountLimit: 4,
      linkCountLimit: 1,
      attributePerEventCountLimit: 6,
      attributePerLinkCountLimit: 10,
    });
  });

  it('ignores invalid values with a diagnostic', () => {
    const capture = captureDiag();
    try {
      const limits = resolveSpanLimits(
        { eventCountLimit: -1 },
        { OTEL_SPAN_LINK_COUNT_LIMIT: 'many' },
      );
      expect(limits.eventCountLimit).toBe(128);
      expect(limits.linkCountLimit).toBe(128);
      expect(capture.text()).toMatch(/OTEL_SPAN_LINK_COUNT_LIMIT=many/);
      expect(capture.text()).toMatch(/eventCountLimit=-1/);
    } finally {
      capture.restore();
    }
  });
});
