import { HttpError } from './json-http';

/** The filters of `GET /traces/query`, validated. */
export interface TraceQuery {
  serviceName?: string;
  operationName?: string;
  /** Milliseconds. */
  minDuration?: number;
  maxDuration?: number;
  status?: 'ok' | 'error';
  /** Epoch milliseconds bounding the trace's start. */
  start?: number;
  end?: number;
  limit: number;
}

export const DEFAULT_QUERY_LIMIT = 20;
export const MAX_QUERY_LIMIT = 1000;

const KNOWN = new Set([
  'serviceName',
  'operationName',
  'minDuration',
  'maxDuration',
  'status',
  'start',
  'end',
  'limit',
]);

function nonNegative(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new HttpError(400, `${name} must be a non-negative number of milliseconds, got "${raw}"`);
  }
  return value;
}

/** Epoch milliseconds, or an ISO 8601 date. */
function instant(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  const value = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(value)) {
    throw new HttpError(
      400,
      `${name} must be epoch milliseconds or an ISO 8601 date, got "${raw}"`,
    );
  }
  return value;
}

function text(params: URLSearchParams, name: string): string | undefined {
  const raw = params.get(name);
  return raw === null || raw === '' ? undefined : raw;
}

/** Parses the query string of `GET /traces/query`; an unknown or malformed parameter is a 400. */
export function parseTraceQuery(params: URLSearchParams): TraceQuery {
  for (const name of params.keys()) {
    if (!KNOWN.has(name)) throw new HttpError(400, `unknown query parameter "${name}"`);
    // `?limit=2&limit=abc` must not pass as `limit=2`: one value a parameter.
    if (params.getAll(name).length > 1) {
      throw new HttpError(400, `query parameter "${name}" is given more than once`);
    }
  }
  const status = text(params, 'status');
  if (status !== undefined && status !== 'ok' && status !== 'error') {
    throw new HttpError(400, `status must be "ok" or "error", got "${status}"`);
  }
  const limitRaw = text(params, 'limit');
  const limit = limitRaw === undefined ? DEFAULT_QUERY_LIMIT : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_QUERY_LIMIT) {
    throw new HttpError(
      400,
      `limit must be an integer from 1 to ${MAX_QUERY_LIMIT}, got "${limitRaw}"`,
    );
  }
  const query: TraceQuery = {
    serviceName: text(params, 'serviceName'),
    operationName: text(params, 'operationName'),
    minDuration: nonNegative(params, 'minDuration'),
    maxDuration: nonNegative(params, 'maxDuration'),
    status,
    start: instant(params, 'start'),
    end: instant(params, 'end'),
    limit,
  };
  if (
    query.minDuration !== undefined &&
    query.maxDuration !== undefined &&
    query.minDuration > query.maxDuration
  ) {
    throw new HttpError(400, 'minDuration is greater than maxDuration');
  }
  if (query.start !== undefined && query.end !== undefined && query.start > query.end) {
    throw new HttpError(400, 'start is after end');
  }
  return query;
}
