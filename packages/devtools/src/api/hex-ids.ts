/** W3C Trace Context ids as the API takes them: lowercase hex of 16 and 8 bytes. */
export const TRACE_ID = /^[0-9a-f]{32}$/;
export const SPAN_ID = /^[0-9a-f]{16}$/;
/** An all-zero id, which W3C Trace Context declares invalid. */
export const ALL_ZERO = /^0+$/;
