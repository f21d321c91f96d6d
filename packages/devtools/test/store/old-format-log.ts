/**
 * A `--data-dir` log frame as devtools wrote it before it kept span flags and dropped counts (16
 * positions a span), for the tests that check such a log still loads. Written by that version
 * (`TraceStore.open({ dataDir })`, then `ingest` of two spans received as OTLP/JSON with `flags`
 * 769 and 257 and a dropped attribute count of 4, all of which it discarded): the payload below is
 * its bytes, and the header is made as it made it.
 */
import { crc32 } from '../../src/store/crc32';

export const OLD_FORMAT_PAYLOAD =
  '{"v":1,"t":1763900001000,"n":[0],"r":[{"service.name":"legacy"}],"c":[{"name":"@acme/leg' +
  'acy","version":"1.0.0"}],"s":[["7a3c9d2e5f1b4c8a9e0d6f2a1b3c5d7e","1111111111111111","ee' +
  'e19b7ec3c1b174","GET /legacy",2,1763900000000,1763900000050,2,"boom","legacy",{"http.rou' +
  'te":"/legacy"},[],[],0,0,"acme=1"],["7a3c9d2e5f1b4c8a9e0d6f2a1b3c5d7e","2222222222222222' +
  '","1111111111111111","SELECT legacy",3,1763900000010,1763900000040,0,null,"legacy",{},[{' +
  '"time":1763900000020,"name":"retry","attributes":{"n":2}}],[],0,0,null]]}';

export const OLD_FORMAT_TRACE_ID = '7a3c9d2e5f1b4c8a9e0d6f2a1b3c5d7e';

/** The frame: u32 LE length, u32 LE CRC-32, payload. */
export function oldFormatFrame(): Buffer {
  const payload = Buffer.from(OLD_FORMAT_PAYLOAD);
  const header = Buffer.alloc(8);
  header.writeUInt32LE(payload.length, 0);
  header.writeUInt32LE(crc32(payload), 4);
  return Buffer.concat([header, payload]);
}
