import type { IncomingMessage, ServerResponse } from 'node:http';
import { readRequestBody } from '../otlp/read-request-body';

/** A request the API refuses: its status (4xx, or 503) and the message the client sees. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** The JSON object of a request's body, at most `maxBytes`; a 4xx HttpError otherwise. */
export async function readJsonObject(
  req: IncomingMessage,
  maxBytes: number,
): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'] ?? 'application/json';
  if (!/^application\/json\b/i.test(type)) {
    throw new HttpError(415, `expected Content-Type: application/json, got ${type}`);
  }
  // Not a for-await loop: leaving one early destroys the request, and with it the socket the
  // 413 is to be sent on. This reader pauses the request instead.
  const read = await readRequestBody(req, maxBytes);
  if (!read.ok) throw new HttpError(read.status, read.error);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(read.body).toString('utf8'));
  } catch (error) {
    throw new HttpError(400, `body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'body must be a JSON object');
  }
  return value as Record<string, unknown>;
}
