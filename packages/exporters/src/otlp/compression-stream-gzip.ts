/**
 * gzip with the Web `CompressionStream`, for edge runtimes. Resolves to undefined where it does
 * not work: absent, or present but throwing on construction (Next.js's edge sandbox), or failing
 * while compressing; the caller then sends the body uncompressed.
 */
export async function gzipWithCompressionStream(body: Uint8Array): Promise<Uint8Array | undefined> {
  const Stream = (globalThis as { CompressionStream?: typeof CompressionStream }).CompressionStream;
  if (typeof Stream !== 'function') return undefined;
  let stream: CompressionStream;
  try {
    stream = new Stream('gzip');
  } catch {
    return undefined;
  }
  try {
    const writer = stream.writable.getWriter();
    // Errors surface through the response below; these promises must not reject unhandled.
    writer.write(body as Uint8Array<ArrayBuffer>).catch(noop);
    writer.close().catch(noop);
    // The Fetch API's own collector of a stream's bytes (present wherever CompressionStream is).
    return new Uint8Array(await new Response(stream.readable).arrayBuffer());
  } catch {
    return undefined;
  }
}

function noop(): void {}
