import type { IncomingMessage, ServerResponse } from 'node:http';
import { analyzeTrace } from '../analysis/analyze';
import { type TraceStats, traceStats } from '../analysis/trace-stats';
import { traceView } from '../analysis/trace-view';
import { traceWaterfall } from '../analysis/visualize';
import type { StoredSpan } from '../model';
import type { StoreCounters, TraceStore } from '../store/trace-store';
import { findTraces } from './find-traces';
import { TRACE_ID } from './hex-ids';
import { HttpError, readJsonObject, sendJson } from './json-http';
import type { ManualSpans } from './manual-spans';
import { parseTraceQuery } from './trace-query';

const MAX_JSON_BODY = 1024 * 1024;

export interface IngestCounters {
  requests: number;
  requestsRejected: number;
  spansAccepted: number;
  spansRejected: number;
  bytesReceived: number;
}

export interface ApiContext {
  store: TraceStore;
  manual: ManualSpans;
  ingest: IngestCounters;
}

/** A percent-decoded path segment; a malformed escape (`%zz`) is the client's error, not ours. */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, `trace id must be 32 hex digits, got "${segment}"`);
  }
}

/** The spans of a trace: the stored ones, and the manual spans still open (as if ending now). */
function traceOf(context: ApiContext, rawId: string) {
  const traceId = rawId.toLowerCase();
  if (!TRACE_ID.test(traceId)) {
    throw new HttpError(400, `trace id must be 32 hex digits, got "${rawId}"`);
  }
  const stored = context.store.get(traceId);
  const open = context.manual.openSpansOf(traceId);
  if (stored === undefined && open.length === 0)
    throw new HttpError(404, `unknown trace ${traceId}`);
  const spans: StoredSpan[] = stored === undefined ? open : [...stored.spans, ...open];
  return { traceId, spans, complete: (stored?.complete ?? false) && open.length === 0 };
}

/**
 * The trace figures of `/stats` walk every stored span (~100 ms at 7,000 traces), so they are kept
 * until the store changes: a span in, a trace completed, evicted or dropped.
 */
const statsCache = new WeakMap<TraceStore, { key: string; value: TraceStats }>();

function cachedTraceStats(store: TraceStore, counters: StoreCounters): TraceStats {
  const key = `${counters.spansIngested}/${counters.tracesStored}/${counters.tracesComplete}/${counters.tracesEvicted}/${counters.tailSampledTraces}`;
  const cached = statsCache.get(store);
  if (cached?.key === key) return cached.value;
  const value = traceStats(store.traces());
  statsCache.set(store, { key, value });
  return value;
}

function stats(context: ApiContext) {
  const counters = context.store.counters();
  return {
    ...cachedTraceStats(context.store, counters),
    ingest: {
      ...context.ingest,
      spansStored: counters.spansIngested,
      spansReplayed: counters.spansReplayed,
    },
    dropped: {
      tracesEvicted: counters.tracesEvicted,
      spansEvicted: counters.spansEvicted,
      tailSampledTraces: counters.tailSampledTraces,
      tailSampledSpans: counters.tailSampledSpans,
      lateSpansDropped: counters.lateSpansDropped,
      spansRejected: context.ingest.spansRejected,
    },
    store: {
      bytesStored: counters.bytesStored,
      logBytes: counters.logBytes,
      logSegments: counters.logSegments,
      logCorruptBytes: counters.logCorruptBytes,
    },
  };
}

/**
 * The JSON API (everything but `POST /v1/traces` and the UI's files). Returns false when no route
 * matches the path. A refused request gets a 4xx with `{ error }`.
 */
export async function handleApi(
  context: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  const path = url.pathname;
  const method = req.method ?? 'GET';
  const expect = (allowed: string): void => {
    if (method !== allowed) {
      res.setHeader('allow', allowed);
      throw new HttpError(405, `${method} ${path}: use ${allowed}`);
    }
  };
  try {
    if (path === '/stats') {
      expect('GET');
      sendJson(res, 200, stats(context));
    } else if (path === '/traces/query') {
      expect('GET');
      const traces = findTraces(context.store.traces(), parseTraceQuery(url.searchParams));
      sendJson(res, 200, { traces });
    } else if (path === '/traces/start') {
      expect('POST');
      sendJson(res, 201, context.manual.start(await readJsonObject(req, MAX_JSON_BODY)));
    } else if (path === '/traces/span') {
      expect('POST');
      sendJson(res, 201, await context.manual.child(await readJsonObject(req, MAX_JSON_BODY)));
    } else if (path === '/traces/span/finish') {
      expect('POST');
      sendJson(res, 200, await context.manual.finish(await readJsonObject(req, MAX_JSON_BODY)));
    } else {
      const match = /^\/traces\/([^/]+)(?:\/(visualize|analyze))?\/?$/.exec(path);
      if (match === null) return false;
      expect('GET');
      const trace = traceOf(context, decodePathSegment(match[1]!));
      const view = match[2];
      if (view === 'visualize') sendJson(res, 200, traceWaterfall(trace));
      else if (view === 'analyze') sendJson(res, 200, analyzeTrace(trace));
      else sendJson(res, 200, traceView(trace));
    }
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    // The rest of an oversized body is not read: close the connection after answering.
    if (error.status === 413) res.setHeader('connection', 'close');
    sendJson(res, error.status, { error: error.message });
  }
  return true;
}
