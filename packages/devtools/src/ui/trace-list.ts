/** The list of recent traces, with filters that live in the URL. */

import { ApiRequestError, LIST_LIMIT, queryTraces, type TraceFilters } from './api';
import type { TraceSummary } from './api-types';
import { serviceChip, statusBadge } from './badges';
import { h, replaceChildren } from './dom';
import { formatAgo, formatClock, formatDateTime, formatDuration } from './format';
import { listHash, traceHash } from './routes';

const REFRESH_MS = 3000;

export function renderTraceList(
  root: HTMLElement,
  filters: TraceFilters,
  signal: AbortSignal,
): void {
  const knownServices = new Set<string>();
  const serviceOptions = h('datalist', { id: 'service-options' });
  const serviceInput = h('input', {
    id: 'filter-service',
    name: 'service',
    type: 'search',
    list: 'service-options',
    placeholder: 'any service',
    autocomplete: 'off',
    value: filters.service,
  });
  const statusSelect = h(
    'select',
    { id: 'filter-status', name: 'status' },
    h('option', { value: '' }, 'any'),
    h('option', { value: 'ok' }, 'ok'),
    h('option', { value: 'error' }, 'error'),
  );
  statusSelect.value = filters.status;
  const minInput = h('input', {
    id: 'filter-min-duration',
    name: 'minDuration',
    type: 'number',
    min: 0,
    step: 'any',
    inputmode: 'decimal',
    placeholder: '0',
    value: filters.minDuration,
  });
  const live = h('input', { id: 'filter-live', type: 'checkbox', checked: true });

  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter traces' },
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'filter-service' }, 'Service'),
      serviceInput,
      serviceOptions,
    ),
    h('div', { class: 'field' }, h('label', { for: 'filter-status' }, 'Status'), statusSelect),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'filter-min-duration' }, 'Min duration (ms)'),
      minInput,
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, 'Apply'),
      h('a', { href: '#/', class: 'button' }, 'Clear'),
    ),
    h('label', { class: 'live', for: 'filter-live' }, live, 'Auto-refresh'),
  );
  const apply = (): void => {
    const next = listHash({
      service: serviceInput.value.trim(),
      status: statusSelect.value as TraceFilters['status'],
      minDuration: minInput.value.trim(),
    });
    if (next !== location.hash) location.hash = next;
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply();
  });
  statusSelect.addEventListener('change', apply);

  const summary = h('p', { class: 'muted', 'aria-live': 'polite' }, 'Loading…');
  const results = h('div', { class: 'results' });
  replaceChildren(
    root,
    h('div', { class: 'page-head' }, h('h1', null, 'Traces'), summary),
    form,
    results,
  );

  const filtered = Boolean(filters.service || filters.status || filters.minDuration);
  let shown = '';
  const load = async (): Promise<void> => {
    try {
      const { traces } = await queryTraces(filters, signal);
      if (signal.aborted) return;
      for (const trace of traces) {
        for (const service of trace.services ?? [trace.rootService]) {
          if (knownServices.has(service)) continue;
          knownServices.add(service);
          serviceOptions.append(h('option', { value: service }));
        }
      }
      // Redraw only on change, so a refresh never moves what the user is pointing at.
      const key = JSON.stringify(traces);
      if (key === shown) {
        refreshAges(results);
        return;
      }
      shown = key;
      summary.textContent =
        traces.length === 0
          ? ''
          : `${traces.length === LIST_LIMIT ? `Latest ${LIST_LIMIT}` : traces.length} trace${traces.length === 1 ? '' : 's'}, newest first`;
      replaceChildren(results, traces.length ? traceTable(traces) : emptyState(filtered));
    } catch (error) {
      if (signal.aborted) return;
      shown = '';
      const message =
        error instanceof ApiRequestError ? error.message : 'Could not reach the devtools server.';
      summary.textContent = '';
      replaceChildren(results, h('p', { class: 'notice error', role: 'alert' }, message));
    }
  };

  void load();
  const timer = setInterval(() => {
    if (live.checked && document.visibilityState === 'visible') void load();
  }, REFRESH_MS);
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });
}

function refreshAges(results: HTMLElement): void {
  const now = Date.now();
  for (const age of results.querySelectorAll<HTMLElement>('.ago[data-start]')) {
    age.textContent = formatAgo(Number(age.dataset.start), now);
  }
}

function emptyState(filtered: boolean): HTMLElement {
  if (filtered) return h('p', { class: 'notice' }, 'No traces match these filters.');
  return h(
    'div',
    { class: 'notice empty' },
    h('p', null, h('strong', null, 'No traces yet.')),
    h(
      'p',
      null,
      'Point any OTLP/HTTP exporter at ',
      h('code', null, `${location.origin}/v1/traces`),
      ' and send a request through your app.',
    ),
  );
}

function traceTable(traces: TraceSummary[]): HTMLElement {
  const longest = Math.max(...traces.map((t) => t.duration), 0.001);
  const now = Date.now();
  return h(
    'table',
    { class: 'traces' },
    h('caption', { class: 'visually-hidden' }, 'Recent traces'),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, 'Service'),
        h('th', { scope: 'col' }, 'Operation'),
        h('th', { scope: 'col' }, 'Started'),
        h('th', { scope: 'col', class: 'num' }, 'Duration'),
        h('th', { scope: 'col', class: 'num' }, 'Spans'),
        h('th', { scope: 'col' }, 'Status'),
      ),
    ),
    h(
      'tbody',
      null,
      traces.map((trace) => traceRow(trace, longest, now)),
    ),
  );
}

function traceRow(trace: TraceSummary, longest: number, now: number): HTMLElement {
  const link = h(
    'a',
    { href: traceHash(trace.traceId), class: 'trace-link' },
    (trace.operation ?? trace.rootOperation) || '(unnamed)',
  );
  const bar = h('span', { class: 'dur-bar', 'aria-hidden': 'true' });
  bar.style.width = `${Math.max((trace.duration / longest) * 100, 1)}%`;
  const otherServices = (trace.services ?? []).filter((s) => s !== trace.rootService).length;
  const row = h(
    'tr',
    { 'data-trace-id': trace.traceId, class: trace.status === 'error' ? 'has-error' : null },
    h(
      'td',
      null,
      serviceChip(trace.rootService),
      otherServices > 0 &&
        h(
          'span',
          { class: 'muted more', title: (trace.services ?? []).join(', ') },
          ` +${otherServices}`,
        ),
    ),
    h('td', { class: 'op' }, link),
    h(
      'td',
      { class: 'time', title: formatDateTime(trace.startTime) },
      h('span', null, formatClock(trace.startTime)),
      h(
        'span',
        { class: 'muted ago', 'data-start': trace.startTime },
        formatAgo(trace.startTime, now),
      ),
    ),
    h(
      'td',
      { class: 'num dur' },
      h('span', { class: 'dur-track', 'aria-hidden': 'true' }, bar),
      formatDuration(trace.duration),
    ),
    h('td', { class: 'num' }, trace.spanCount),
    h(
      'td',
      null,
      statusBadge(trace.status, trace.errorCount),
      !trace.complete &&
        h('span', { class: 'badge pending', title: 'Spans may still arrive' }, 'live'),
    ),
  );
  // The whole row opens the trace for the mouse; the link stays the keyboard's and reader's target.
  row.addEventListener('click', (event) => {
    if ((event.target as Element).closest('a')) return;
    if (getSelection()?.toString()) return;
    location.hash = traceHash(trace.traceId);
  });
  return row;
}
