/**
 * The bodies the receiver answers with, in the request's encoding (OTLP/HTTP: the server "MUST use
 * the same Content-Type in the response as it received in the request"):
 * - 200: an `ExportTraceServiceResponse`, with `partial_success` only when spans were rejected;
 * - 4xx and 5xx: a `google.rpc.Status` with a gRPC code and a developer-facing message.
 */

export type OtlpEncoding = 'protobuf' | 'json';

export const CONTENT_TYPE_PROTOBUF = 'application/x-protobuf';
export const CONTENT_TYPE_JSON = 'application/json';

/** gRPC status codes used in error bodies (the specification lets clients ignore them). */
export const GRPC_INVALID_ARGUMENT = 3;
export const GRPC_PERMISSION_DENIED = 7;
export const GRPC_RESOURCE_EXHAUSTED = 8;
export const GRPC_UNIMPLEMENTED = 12;
export const GRPC_INTERNAL = 13;
export const GRPC_UNAVAILABLE = 14;

let utf8: TextEncoder | undefined;
const encodeUtf8 = (text: string): Uint8Array => (utf8 ??= new TextEncoder()).encode(text);

/**
 * `ExportTraceServiceResponse`. Protobuf: `partial_success` = 1 { `rejected_spans` = 1 (int64),
 * `error_message` = 2 }; nothing at all for full success. JSON: `{}` or
 * `{"partialSuccess":{"rejectedSpans":"2","errorMessage":"…"}}` (int64 as a decimal string).
 */
export function encodeTraceResponse(
  encoding: OtlpEncoding,
  rejectedSpans: number,
  errorMessage: string,
): Uint8Array {
  if (encoding === 'json') {
    if (rejectedSpans === 0 && errorMessage === '') return encodeUtf8('{}');
    return encodeUtf8(
      JSON.stringify({ partialSuccess: { rejectedSpans: String(rejectedSpans), errorMessage } }),
    );
  }
  if (rejectedSpans === 0 && errorMessage === '') return new Uint8Array(0);
  const inner: number[] = [];
  if (rejectedSpans > 0) {
    inner.push(0x08);
    pushVarint(inner, rejectedSpans);
  }
  if (errorMessage !== '') pushBytes(inner, 0x12, encodeUtf8(errorMessage));
  const outer: number[] = [];
  pushBytes(outer, 0x0a, Uint8Array.from(inner));
  return Uint8Array.from(outer);
}

/**
 * `google.rpc.Status`: `code` = 1, `message` = 2; in JSON `{"code":3,"message":"…"}` (the proto3
 * JSON mapping) and no other field, which strict parsers (Go's protojson) would refuse.
 */
export function encodeErrorStatus(
  encoding: OtlpEncoding,
  code: number,
  message: string,
): Uint8Array {
  if (encoding === 'json') return encodeUtf8(JSON.stringify({ code, message }));
  const bytes: number[] = [0x08];
  pushVarint(bytes, code);
  pushBytes(bytes, 0x12, encodeUtf8(message));
  return Uint8Array.from(bytes);
}

function pushVarint(into: number[], value: number): void {
  while (value >= 0x80) {
    into.push((value % 0x80) | 0x80);
    value = Math.floor(value / 0x80);
  }
  into.push(value);
}

function pushBytes(into: number[], tag: number, bytes: Uint8Array): void {
  into.push(tag);
  pushVarint(into, bytes.length);
  for (let i = 0; i < bytes.length; i++) into.push(bytes[i]!);
}
