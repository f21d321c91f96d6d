/** Small fetch wrappers for tests of the devtools server's HTTP API. */
import { expect } from 'vitest';
import { type OtlpEncoding, otlpRequest, type SimpleSpan } from './otlp-bodies';

export interface JsonResponse {
  status: number;
  headers: Headers;
  // Response bodies are checked by the tests.
  body: any;
}

async function jsonOf(response: Response): Promise<JsonResponse> {
  const text = await response.text();
  let body: unknown = text;
  if (response.headers.get('content-type')?.startsWith('application/json')) {
    body = JSON.parse(text);
  }
  return { status: response.status, headers: response.headers, body };
}

export const getJson = async (base: string, path: string): Promise<JsonResponse> =>
  jsonOf(await fetch(base + path));

/** A POST with a JSON body (or a raw string body, sent as is). */
export async function postJson(
  base: string,
  path: string,
  body: unknown,
  contentType = 'application/json',
): Promise<JsonResponse> {
  return jsonOf(
    await fetch(base + path, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

export async function request(
  base: string,
  path: string,
  init: RequestInit,
): Promise<JsonResponse> {
  return jsonOf(await fetch(base + path, init));
}

/** Sends spans to `POST /v1/traces` and expects full success. */
export async function sendSpans(
  base: string,
  spans: readonly SimpleSpan[],
  encoding: OtlpEncoding = 'json',
): Promise<void> {
  const { body, headers } = otlpRequest(spans, encoding);
  const response = await fetch(`${base}/v1/traces`, { method: 'POST', headers, body });
  const bytes = new Uint8Array(await response.arrayBuffer());
  expect(response.status).toBe(200);
  // Full success: `{}` in JSON, an empty message in protobuf.
  if (encoding.startsWith('json')) expect(new TextDecoder().decode(bytes)).toBe('{}');
  else expect(bytes.length).toBe(0);
}

/** A refused request: its status and an `{ error }` body with a message. */
export function expectError(response: JsonResponse, status: number, message?: RegExp): void {
  expect({ status: response.status, body: response.body }).toEqual({
    status,
    body: expect.objectContaining({
      error: message ? expect.stringMatching(message) : expect.any(String),
    }),
  });
}
