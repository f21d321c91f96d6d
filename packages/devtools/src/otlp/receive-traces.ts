import { gunzipSync } from 'node:zlib';
import type { StoredSpan } from '../model';
import { decodeJsonTraceRequest } from './decode-json-traces';
import { decodeProtobufTraceRequest } from './decode-protobuf-traces';
import {
  CONTENT_TYPE_JSON,
  CONTENT_TYPE_PROTOBUF,
  encodeErrorStatus,
  encodeTraceResponse,
  GRPC_INVALID_ARGUMENT,
  GRPC_RESOURCE_EXHAUSTED,
  GRPC_UNIMPLEMENTED,
  type OtlpEncoding,
} from './encode-trace-response';
import { OtlpDecodeError } from './otlp-decode-error';
import { validateSpans } from './validate-span';

/** An OTLP/HTTP trace export request, as the HTTP server received it. */
export interface OtlpTraceRequest {
  /** The `Content-Type` header; parameters (`; charset=utf-8`) are ignored. */
  contentType: string | undefined;
  /** The `Content-Encoding` header: `gzip`, or none / `identity`. */
  contentEncoding?: string | undefined;
  /** The body as received (still compressed when it was sent so). */
  body: Uint8Array;
}

export interface ReceiveTracesOptions {
  /** The largest body accepted, before and after decompression. Default 20 MiB. */
  maxBodyBytes?: number;
}

/** What to answer, and what to keep. */
export interface ReceiveTracesResult {
  status: 200 | 400 | 413 | 415;
  /**
   * The response's `Content-Type`: the protobuf media type the request named
   * (`application/x-protobuf` or `application/protobuf`), else `application/json`.
   */
  contentType: string;
  /** An `ExportTraceServiceResponse` (200) or a `google.rpc.Status` (4xx). */
  body: Uint8Array;
  /** The valid spans; empty unless the status is 200. */
  spans: StoredSpan[];
  /**
   * How many spans of a decodable request were rejected by validation (all of them when the
   * status is 400 for that reason).
   */
  rejected: number;
  /** Why the request (4xx), or some of its spans (200), were refused. */
  error?: string;
}

/** The OTLP collector's default cap on a request body. */
export const DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024;

/**
 * Handles one OTLP/HTTP `POST /v1/traces` body, independently of any HTTP server: checks the
 * content type and encoding, decompresses gzip (capped, against gzip bombs), decodes protobuf or
 * JSON, validates every span, and returns the response to send and the spans to keep.
 *
 * - 415: a content type other than protobuf or JSON, or a content encoding other than gzip;
 * - 413: a body, or a decompressed body, over `maxBodyBytes`;
 * - 400: a body that cannot be decoded, or whose spans are all invalid (nothing of it is kept);
 * - 200: the valid spans are kept; invalid ones are counted in `partialSuccess.rejectedSpans`,
 *   with the first one's problem as its `errorMessage`.
 *
 * Every answer has the request's media type (OTLP/HTTP: the server "MUST use the same
 * Content-Type in the response as it received in the request"), JSON for one it does not take.
 *
 * Never throws.
 */
export function receiveTraces(
  request: OtlpTraceRequest,
  options: ReceiveTracesOptions = {},
): ReceiveTracesResult {
  const maxBytes = Math.max(1, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  const encoding = encodingOf(request.contentType);
  if (encoding === undefined) {
    return failure(
      CONTENT_TYPE_JSON,
      415,
      GRPC_UNIMPLEMENTED,
      `unsupported content type ${JSON.stringify(request.contentType ?? '')}: send ` +
        'application/x-protobuf or application/json',
    );
  }
  const contentType = responseContentTypeOf(request.contentType);
  let body = request.body;
  if (body.length > maxBytes) {
    return failure(contentType, 413, GRPC_RESOURCE_EXHAUSTED, overCap(body.length, maxBytes));
  }
  const compression = compressionOf(request.contentEncoding);
  if (compression === undefined) {
    return failure(
      contentType,
      415,
      GRPC_UNIMPLEMENTED,
      `unsupported content encoding ${JSON.stringify(request.contentEncoding)}: send gzip or none`,
    );
  }
  if (compression === 'gzip') {
    try {
      body = gunzipSync(body, { maxOutputLength: maxBytes });
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
        return failure(
          contentType,
          413,
          GRPC_RESOURCE_EXHAUSTED,
          `the decompressed body is over the ${maxBytes}-byte cap`,
        );
      }
      return failure(
        contentType,
        400,
        GRPC_INVALID_ARGUMENT,
        `the gzip body cannot be decompressed: ${(error as Error).message}`,
      );
    }
  }
  let decoded: ReturnType<typeof decodeProtobufTraceRequest>;
  try {
    decoded = encoding === 'json' ? decodeJsonTraceRequest(body) : decodeProtobufTraceRequest(body);
  } catch (error) {
    const what = encoding === 'json' ? 'OTLP/JSON' : 'OTLP protobuf';
    const reason =
      error instanceof OtlpDecodeError ? error.message : `${(error as Error)?.message ?? error}`;
    return failure(
      contentType,
      400,
      GRPC_INVALID_ARGUMENT,
      `not a valid ${what} ExportTraceServiceRequest: ${reason}`,
    );
  }
  const { spans, rejected, firstProblem } = validateSpans(decoded.spans);
  const result: ReceiveTracesResult = {
    status: 200,
    contentType,
    body: encodeTraceResponse(encoding, 0, ''),
    spans,
    rejected,
  };
  if (rejected > 0) {
    const message = `${rejected} of ${decoded.spans.length} span(s) rejected; the first: ${firstProblem}`;
    if (spans.length === 0) {
      // Nothing accepted is no partial success ("the server accepts only parts of the data and
      // rejects the rest"): the request is Bad Data, a 400 that the client does not retry.
      return { ...failure(contentType, 400, GRPC_INVALID_ARGUMENT, message), rejected };
    }
    result.body = encodeTraceResponse(encoding, rejected, message);
    result.error = message;
  }
  return result;
}

function failure(
  contentType: string,
  status: 400 | 413 | 415,
  grpcCode: number,
  message: string,
): ReceiveTracesResult {
  return {
    status,
    contentType,
    body: errorStatusIn(contentType, grpcCode, message),
    spans: [],
    rejected: 0,
    error: message,
  };
}

/** A `google.rpc.Status` body in the encoding of `contentType` (an answer's), JSON by default. */
export function errorStatusIn(contentType: string, grpcCode: number, message: string): Uint8Array {
  return encodeErrorStatus(encodingOf(contentType) ?? 'json', grpcCode, message);
}

const overCap = (length: number, maxBytes: number): string =>
  `the body (${length} bytes) is over the ${maxBytes}-byte cap`;

/** What OTLP/HTTP specifies is `application/x-protobuf`; some clients send this IANA name. */
const CONTENT_TYPE_PROTOBUF_ALIAS = 'application/protobuf';

/** The OTLP encoding a Content-Type names (`application/protobuf` is accepted too). */
export function encodingOf(contentType: string | undefined): OtlpEncoding | undefined {
  const type = mediaTypeOf(contentType);
  if (type === CONTENT_TYPE_PROTOBUF || type === CONTENT_TYPE_PROTOBUF_ALIAS) return 'protobuf';
  if (type === CONTENT_TYPE_JSON) return 'json';
  return undefined;
}

/**
 * The `Content-Type` of the answer to a request with this one: the protobuf media type it named,
 * without parameters (OTLP/HTTP: "The server MUST use the same "Content-Type" in the response as
 * it received in the request"), and `application/json` for JSON or any type not taken.
 */
export function responseContentTypeOf(contentType: string | undefined): string {
  return encodingOf(contentType) === 'protobuf' ? mediaTypeOf(contentType) : CONTENT_TYPE_JSON;
}

/** A Content-Type's media type, lowercase, without its parameters (`; charset=utf-8`). */
function mediaTypeOf(contentType: string | undefined): string {
  if (!contentType) return '';
  const semicolon = contentType.indexOf(';');
  return (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

function compressionOf(contentEncoding: string | undefined): 'gzip' | 'none' | undefined {
  const value = contentEncoding?.trim().toLowerCase() ?? '';
  if (value === '' || value === 'identity') return 'none';
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  return undefined;
}
