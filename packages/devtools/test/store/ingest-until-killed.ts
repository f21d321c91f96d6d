/**
 * Fixture of kill-recovery.test.ts, bundled and run as a child process: opens a store on the
 * directory given as argument and ingests batches, four in flight, forever, printing
 * `ack <batch>` once each ingest has resolved, until it is killed.
 */
import { TraceStore } from '../../src/store/trace-store';
import { batchOfSpans, FIXTURE_STORE_OPTIONS } from './kill-fixture-batches';

const store = await TraceStore.open({ ...FIXTURE_STORE_OPTIONS, dataDir: process.argv[2] });
let next = 0;
function ingestNext(): void {
  const batch = next++;
  store.ingest(batchOfSpans(batch)).then(
    () => {
      process.stdout.write(`ack ${batch}\n`);
      ingestNext();
    },
    (error: unknown) => {
      process.stderr.write(`ingest failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
for (let i = 0; i < 4; i++) ingestNext();
