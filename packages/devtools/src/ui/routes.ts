/** Hash routes, so every view is a link: `#/?service=…&status=…&minDuration=…` and `#/trace/<id>`. */

import type { TraceFilters } from './api';

export type Route =
  | { page: 'list'; filters: TraceFilters }
  | { page: 'trace'; traceId: string; spanId: string | null };

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '');
  const [pathname, search = ''] = path.split('?', 2);
  const params = new URLSearchParams(search);
  const trace = /^\/trace\/([^/]+)\/?$/.exec(pathname);
  if (trace) {
    return { page: 'trace', traceId: decodeURIComponent(trace[1]), spanId: params.get('span') };
  }
  const status = params.get('status');
  return {
    page: 'list',
    filters: {
      service: params.get('service') ?? '',
      status: status === 'ok' || status === 'error' ? status : '',
      minDuration: params.get('minDuration') ?? '',
    },
  };
}

export function listHash(filters: TraceFilters): string {
  const params = new URLSearchParams();
  if (filters.service) params.set('service', filters.service);
  if (filters.status) params.set('status', filters.status);
  if (filters.minDuration) params.set('minDuration', filters.minDuration);
  const search = params.toString();
  return search ? `#/?${search}` : '#/';
}

export function traceHash(traceId: string, spanId?: string | null): string {
  const base = `#/trace/${encodeURIComponent(traceId)}`;
  return spanId ? `${base}?span=${encodeURIComponent(spanId)}` : base;
}
