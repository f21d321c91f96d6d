/** The UI's calls to the devtools HTTP API (same origin). */

import type { TraceAnalysis, TraceQueryResult, TraceView } from './api-types';

export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function getJson<T>(path: string, signal: AbortSignal): Promise<T> {
  const response = await fetch(path, { signal, headers: { accept: 'application/json' } });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = (await response.json()) as { error?: unknown };
      if (typeof body.error === 'string') message = body.error;
    } catch {
      // Not JSON: keep the status line.
    }
    throw new ApiRequestError(message, response.status);
  }
  return (await response.json()) as T;
}

export interface TraceFilters {
  service: string;
  status: '' | 'ok' | 'error';
  minDuration: string;
}

export const LIST_LIMIT = 100;

export function queryTraces(filters: TraceFilters, signal: AbortSignal): Promise<TraceQueryResult> {
  const params = new URLSearchParams({ limit: String(LIST_LIMIT) });
  if (filters.service) params.set('serviceName', filters.service);
  if (filters.status) params.set('status', filters.status);
  if (filters.minDuration) params.set('minDuration', filters.minDuration);
  return getJson(`/traces/query?${params}`, signal);
}

export function getTrace(traceId: string, signal: AbortSignal): Promise<TraceView> {
  return getJson(`/traces/${encodeURIComponent(traceId)}`, signal);
}

export function analyzeTrace(traceId: string, signal: AbortSignal): Promise<TraceAnalysis> {
  return getJson(`/traces/${encodeURIComponent(traceId)}/analyze`, signal);
}
