/**
 * A request body that is not a well-formed `ExportTraceServiceRequest`: the whole request is
 * refused (HTTP 400) and nothing of it is kept. The message says what was wrong and where, for the
 * developer whose exporter sent it.
 */
export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
}
