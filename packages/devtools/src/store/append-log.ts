import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readdir, readFile, truncate, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type LogRecord, scanFrames } from './log-record';

/**
 * The store's append-only log: numbered segment files (`000000000001.log`, …) of framed records
 * (see `log-record.ts`), written by group commit.
 *
 * An append resolves once its frame is written to the OS (write(2) returned), which a `kill -9`
 * of this process cannot undo; with `fsync` it also waits for fdatasync(2), which survives power
 * loss. Appends that arrive while a write is in flight are written together by the next one
 * writev(2) (and one fdatasync), and resolve together.
 *
 * When a write fails (a full disk), its frames are cut off the file again, and it fails together
 * with every append queued behind it: each one's `undo` is called first, newest first, before
 * their promises reject and before any later append can be made. So a caller that changed its
 * state for a frame can take the change back, and no frame that is written was made from a state
 * that included a frame that is not.
 */
export interface AppendLogOptions {
  dir: string;
  fsync: boolean;
  /** The active segment is closed and a new one started once it holds this many bytes. */
  segmentBytes: number;
  /** The oldest segment whose records the store still needs; older ones are deleted. */
  retainFrom: () => number;
  /** Failures no append is waiting for (rotation, deletion). Must not throw. */
  onError: (error: unknown) => void;
}

export interface Segment {
  readonly id: number;
  size: number;
}

export interface ReplayReport {
  /** Bytes dropped from the end of the last segment (a torn write) or skipped in older ones. */
  corruptBytes: number;
}

interface Group {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
  /** The appends' `undo` callbacks, in append order. */
  undo: (() => void)[];
}

const SEGMENT_NAME = /^(\d{12})\.log$/;
const segmentName = (id: number): string => `${String(id).padStart(12, '0')}.log`;

function newGroup(): Group {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject, undo: [] };
}

async function writeAll(handle: FileHandle, buffers: Buffer[], bytes: number): Promise<void> {
  let { bytesWritten } = await handle.writev(buffers);
  while (bytesWritten < bytes) {
    // A short write: write what is left (rare for a regular file, but allowed).
    const rest = Buffer.concat(buffers).subarray(bytesWritten);
    bytesWritten += (await handle.write(rest)).bytesWritten;
  }
}

export class AppendLog {
  private readonly options: AppendLogOptions;
  private readonly list: Segment[];
  private handle: FileHandle;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private group: Group | undefined;
  private draining: Promise<void> | undefined;
  private broken: unknown;
  private closed = false;

  private constructor(options: AppendLogOptions, list: Segment[], handle: FileHandle) {
    this.options = options;
    this.list = list;
    this.handle = handle;
  }

  /**
   * Opens the log in `dir` (created if missing), handing every valid record of every segment, in
   * order, to `replay`. A torn or corrupt end of the last segment is truncated away; a corrupt
   * record in an older segment ends that segment's replay.
   */
  static async open(
    options: AppendLogOptions,
    replay: (record: LogRecord, segmentId: number) => void,
  ): Promise<{ log: AppendLog; report: ReplayReport }> {
    await mkdir(options.dir, { recursive: true });
    const ids = (await readdir(options.dir))
      .map((name) => SEGMENT_NAME.exec(name))
      .filter((match) => match !== null)
      .map((match) => Number(match[1]))
      .sort((a, b) => a - b);
    const list: Segment[] = [];
    let corruptBytes = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      const path = join(options.dir, segmentName(id));
      const content = await readFile(path);
      const scan = scanFrames(content, (record) => replay(record, id));
      let size = content.length;
      if (scan.corrupt) {
        corruptBytes += content.length - scan.validLength;
        if (i === ids.length - 1) {
          await truncate(path, scan.validLength);
          size = scan.validLength;
        }
      }
      list.push({ id, size });
    }
    const last = list.at(-1);
    if (last === undefined || last.size >= options.segmentBytes) {
      list.push({ id: (last?.id ?? 0) + 1, size: 0 });
    }
    const active = list.at(-1)!;
    const handle = await open(join(options.dir, segmentName(active.id)), 'a');
    const log = new AppendLog(options, list, handle);
    await log.deleteUnneeded();
    return { log, report: { corruptBytes } };
  }

  /** The segment new records go to. */
  get activeSegment(): number {
    return this.list.at(-1)!.id;
  }

  /** The segments on disk, oldest first, the active one last. */
  segments(): readonly Segment[] {
    return this.list;
  }

  /** Bytes on disk plus bytes waiting to be written. */
  get bytes(): number {
    let total = this.pendingBytes;
    for (const segment of this.list) total += segment.size;
    return total;
  }

  /**
   * Appends one frame; resolves once it is written (and synced, with `fsync`). When it cannot be
   * written, `undo` is called (synchronously, before the promise rejects) and the promise rejects.
   */
  append(frame: Buffer, undo?: () => void): Promise<void> {
    const refusal = this.closed ? new Error('the trace log is closed') : this.broken;
    if (refusal !== undefined) {
      undo?.();
      return Promise.reject(refusal);
    }
    this.pending.push(frame);
    this.pendingBytes += frame.length;
    const group = (this.group ??= newGroup());
    if (undo !== undefined) group.undo.push(undo);
    this.draining ??= this.drain();
    return group.promise;
  }

  /** Waits for the writes in flight, then closes the active segment. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.draining;
    await this.handle.close();
  }

  private async drain(): Promise<void> {
    while (this.group !== undefined) {
      const buffers = this.pending;
      const bytes = this.pendingBytes;
      const group = this.group;
      this.pending = [];
      this.pendingBytes = 0;
      this.group = undefined;
      const active = this.list.at(-1)!;
      try {
        if (this.broken !== undefined) throw this.broken;
        await writeAll(this.handle, buffers, bytes);
        if (this.options.fsync) await this.handle.datasync();
        active.size += bytes;
        // Rotate before resolving, so that the ingests this lets go on see the new segment.
        if (active.size >= this.options.segmentBytes && !this.closed) await this.rotate();
        group.resolve();
      } catch (error) {
        // The frames queued behind the failed ones were made while those were taken as written:
        // they fail with them, and every one is undone (newest first) before anything else runs.
        // (Set by appends made while the write was in flight: not the `undefined` assigned above.)
        const queued = this.group as Group | undefined;
        this.group = undefined;
        this.pending = [];
        this.pendingBytes = 0;
        if (queued !== undefined) this.undo(queued);
        this.undo(group);
        queued?.reject(error);
        group.reject(error);
        // Cut a partial write off, so that the frames appended after it can be read back.
        try {
          await this.handle.truncate(active.size);
        } catch (truncateError) {
          this.broken = truncateError;
        }
      }
      await this.deleteUnneeded();
    }
    this.draining = undefined;
  }

  private undo(group: Group): void {
    for (let i = group.undo.length - 1; i >= 0; i--) {
      try {
        group.undo[i]();
      } catch (error) {
        this.options.onError(error);
      }
    }
  }

  private async rotate(): Promise<void> {
    const id = this.activeSegment + 1;
    try {
      const handle = await open(join(this.options.dir, segmentName(id)), 'a');
      await this.handle.close();
      this.handle = handle;
      this.list.push({ id, size: 0 });
    } catch (error) {
      this.options.onError(error);
    }
  }

  private async deleteUnneeded(): Promise<void> {
    const keepFrom = this.options.retainFrom();
    while (this.list.length > 1 && this.list[0].id < keepFrom) {
      const segment = this.list.shift()!;
      try {
        await unlink(join(this.options.dir, segmentName(segment.id)));
      } catch (error) {
        this.options.onError(error);
      }
    }
  }
}
