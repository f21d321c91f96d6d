import { Buffer } from 'node:buffer';
import type { IncomingMessage } from 'node:http';

export type ReadBodyResult =
  | { ok: true; body: Uint8Array }
  | { ok: false; status: 400 | 413; error: string };

/**
 * Reads a request's body, at most `maxBytes` of it: a `Content-Length` over the cap is refused
 * before anything is read, and a body that grows past it while streaming stops being read (the
 * request is paused) and gets 413. After a 413, answer with `Connection: close`, so that the rest
 * of the upload is not read. Never rejects: a connection that fails or closes early gives 400.
 */
export function readRequestBody(
  request: IncomingMessage,
  maxBytes: number,
): Promise<ReadBodyResult> {
  return new Promise((resolve) => {
    const declared = Number(request.headers['content-length']);
    if (declared > maxBytes) {
      resolve(tooLarge(`${declared} bytes`, maxBytes));
      return;
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    let settled = false;
    const settle = (result: ReadBodyResult): void => {
      if (settled) return;
      settled = true;
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Uint8Array): void => {
      total += chunk.length;
      if (total > maxBytes) {
        request.pause();
        settle(tooLarge(`more than ${maxBytes} bytes`, maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => settle({ ok: true, body: Buffer.concat(chunks, total) });
    const onError = (error: Error): void =>
      settle({
        ok: false,
        status: 400,
        error: `the request body could not be read: ${error.message}`,
      });
    const onClose = (): void =>
      settle({ ok: false, status: 400, error: 'the connection closed before the body ended' });
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('close', onClose);
  });
}

const tooLarge = (size: string, maxBytes: number): ReadBodyResult => ({
  ok: false,
  status: 413,
  error: `the body (${size}) is over the ${maxBytes}-byte cap`,
});
