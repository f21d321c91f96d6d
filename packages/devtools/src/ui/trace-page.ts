/** One trace: its summary, the critical path, the waterfall and the selected span's details. */

import { ApiRequestError, analyzeTrace, getTrace } from './api';
import type { SpanView, TraceAnalysis, TraceView } from './api-types';
import { serviceChip, serviceDot, statusBadge } from './badges';
import { h, replaceChildren } from './dom';
import { formatDateTime, formatDuration } from './format';
import { traceHash } from './routes';
import { spanDetails } from './span-details';
import { renderWaterfall } from './waterfall';
import { waterfallRows } from './waterfall-rows';

/** How often a trace that is still receiving spans is fetched again. */
const LIVE_REFRESH_MS = 2000;
/** The "Highlight critical path" choice, kept across traces and redraws. */
let highlightCritical = true;

export async function renderTracePage(
  root: HTMLElement,
  traceId: string,
  selectedSpanId: string | null,
  signal: AbortSignal,
): Promise<void> {
  replaceChildren(
    root,
    backLink(),
    h('p', { class: 'muted', 'aria-live': 'polite' }, 'Loading trace…'),
  );
  let shown = '';
  let selected = selectedSpanId;
  for (;;) {
    let trace: TraceView;
    let analysis: TraceAnalysis | null;
    try {
      [trace, analysis] = await Promise.all([
        getTrace(traceId, signal),
        // The waterfall is still worth drawing when the analysis fails.
        analyzeTrace(traceId, signal).catch((error: unknown) => {
          if (signal.aborted) throw error;
          return null;
        }),
      ]);
    } catch (error) {
      if (signal.aborted) return;
      if (!shown) {
        drawError(root, traceId, error);
        return;
      }
      // A live trace already drawn stays on screen through a failed refresh; the next one may work.
      await sleep(LIVE_REFRESH_MS);
      continue;
    }
    if (signal.aborted) return;
    const key = JSON.stringify([trace, analysis]);
    if (key !== shown) {
      shown = key;
      const focused = document.activeElement
        ?.closest('[data-span-id]')
        ?.getAttribute('data-span-id');
      drawTrace(root, trace, analysis, selected, (spanId) => {
        selected = spanId;
      });
      if (focused)
        root.querySelector<HTMLElement>(`[data-span-id="${CSS.escape(focused)}"]`)?.focus();
    }
    // A trace still receiving spans is fetched again until it is complete.
    if (trace.complete) return;
    await sleep(LIVE_REFRESH_MS);
    if (signal.aborted) return;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function drawError(root: HTMLElement, traceId: string, error: unknown): void {
  const message =
    error instanceof ApiRequestError
      ? error.status === 404
        ? 'This trace is not (or no longer) in the collector.'
        : error.message
      : 'Could not reach the devtools server.';
  replaceChildren(
    root,
    backLink(),
    h('h1', null, 'Trace not found'),
    h('p', { class: 'notice error', role: 'alert' }, message),
    h('p', { class: 'mono muted' }, traceId),
  );
}

function backLink(): HTMLElement {
  return h(
    'nav',
    { class: 'crumbs', 'aria-label': 'Breadcrumb' },
    h('a', { href: '#/' }, '← All traces'),
  );
}

function drawTrace(
  root: HTMLElement,
  trace: TraceView,
  analysis: TraceAnalysis | null,
  selectedSpanId: string | null,
  onSelected: (spanId: string | null) => void,
): void {
  const spans = trace.spans;
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const critical = new Set(analysis?.criticalPathSpanIds ?? []);
  const head = trace.rootSpan ?? spans[0] ?? null;

  const rows = waterfallRows(spans, trace.startTime);
  const detailsPane = h('div', { class: 'details-pane' });
  const select = (spanId: string | null, fromUser: boolean): void => {
    const span = spanId ? byId.get(spanId) : undefined;
    waterfall.select(span ? span.spanId : null);
    body.classList.toggle('with-details', Boolean(span));
    replaceChildren(
      detailsPane,
      span &&
        spanDetails(span, {
          traceStart: trace.startTime,
          traceDuration: trace.duration,
          critical: critical.has(span.spanId),
          bottleneck: analysis?.bottlenecks.find((b) => b.spanId === span.spanId),
          onClose: () => select(null, true),
        }),
    );
    // The selection is part of the link, without a hashchange (which would reload the page).
    if (fromUser) {
      onSelected(span ? span.spanId : null);
      history.replaceState(null, '', traceHash(trace.traceId, span?.spanId));
    }
  };
  const waterfall = renderWaterfall(rows, trace.duration, critical, (spanId) =>
    select(spanId, true),
  );

  const highlight = h('input', {
    id: 'highlight-critical',
    type: 'checkbox',
    checked: highlightCritical,
  });
  const body = h('div', { class: 'trace-body' }, waterfall.element, detailsPane);
  body.classList.toggle('highlight-critical', highlightCritical);
  highlight.addEventListener('change', () => {
    highlightCritical = highlight.checked;
    body.classList.toggle('highlight-critical', highlightCritical);
  });

  replaceChildren(
    root,
    backLink(),
    h(
      'header',
      { class: 'trace-head' },
      h(
        'div',
        { class: 'title-row' },
        h('h1', null, head ? head.operation || '(unnamed)' : 'Trace'),
        statusBadge(trace.status, countErrors(spans)),
        head?.parentMissing && parentMissingBadge(head),
        !trace.complete &&
          h('span', { class: 'badge pending', title: 'Spans may still arrive' }, 'live'),
      ),
      facts(trace, head),
    ),
    serviceLegend(trace, analysis),
    criticalPathSummary(analysis, byId),
    h(
      'div',
      { class: 'toolbar' },
      h(
        'label',
        { for: 'highlight-critical', class: 'check' },
        highlight,
        'Highlight critical path',
      ),
      h('span', { class: 'muted hint' }, 'Click a span for its details'),
    ),
    body,
  );
  if (selectedSpanId) select(selectedSpanId, false);
}

/** The trace is rooted at a span whose parent did not reach the collector. */
function parentMissingBadge(root: SpanView): HTMLElement {
  const title = root.remoteParent
    ? `Continues a trace started elsewhere: the parent ${root.parentSpanId} is in another process that does not export here`
    : `The top span's parent ${root.parentSpanId} has not arrived: it may still come, or be exported elsewhere`;
  return h(
    'span',
    { class: 'badge parent-missing', title },
    root.remoteParent ? 'remote parent' : 'parent not received',
  );
}

function countErrors(spans: SpanView[]): number {
  let errors = 0;
  for (const span of spans) if (span.status === 'error') errors++;
  return errors;
}

function facts(trace: TraceView, head: SpanView | null): HTMLElement {
  const services = Object.keys(trace.serviceCalls ?? {});
  const item = (label: string, ...value: (Node | string)[]): HTMLElement =>
    h('div', null, h('dt', null, label), h('dd', null, ...value));
  return h(
    'dl',
    { class: 'facts' },
    head && item('Root service', serviceChip(head.service)),
    item('Started', formatDateTime(trace.startTime)),
    item('Duration', formatDuration(trace.duration)),
    item('Spans', String(trace.spanCount ?? trace.spans.length)),
    item('Services', String(services.length)),
    item('Trace ID', h('span', { class: 'mono' }, trace.traceId)),
  );
}

function serviceLegend(trace: TraceView, analysis: TraceAnalysis | null): HTMLElement {
  const calls = trace.serviceCalls ?? {};
  const wallClock = analysis?.serviceBreakdown ?? {};
  const services = Object.keys(calls).sort((a, b) => (wallClock[b] ?? 0) - (wallClock[a] ?? 0));
  const share = (service: string): string =>
    trace.duration > 0 ? ` (${Math.round((wallClock[service] / trace.duration) * 100)}%)` : '';
  return h(
    'ul',
    { class: 'legend', 'aria-label': 'Services' },
    services.map((service) =>
      h(
        'li',
        {
          title:
            service in wallClock
              ? `Wall-clock time in ${service} (share of the trace), concurrent work split evenly`
              : null,
        },
        serviceDot(service),
        h('span', { class: 'legend-name' }, service),
        h(
          'span',
          { class: 'muted' },
          `${calls[service]} span${calls[service] === 1 ? '' : 's'}`,
          service in wallClock ? ` · ${formatDuration(wallClock[service])}${share(service)}` : '',
        ),
      ),
    ),
  );
}

function criticalPathSummary(
  analysis: TraceAnalysis | null,
  byId: Map<string, SpanView>,
): HTMLElement {
  if (!analysis) {
    return h('p', { class: 'notice' }, 'The analysis of this trace is not available.');
  }
  const steps = analysis.criticalPathSpanIds.map((spanId, i) => {
    const span = byId.get(spanId);
    const [service, ...operation] = (analysis.criticalPath[i] ?? '').split(':');
    return h(
      'li',
      null,
      serviceDot(span?.service ?? service),
      h('span', null, span?.operation ?? operation.join(':')),
      span && h('span', { class: 'muted' }, formatDuration(span.duration)),
    );
  });
  return h(
    'section',
    { class: 'critical-path', 'aria-labelledby': 'critical-title' },
    h(
      'h2',
      { id: 'critical-title' },
      h('span', { class: 'crit-marker', 'aria-hidden': 'true' }),
      'Critical path',
    ),
    steps.length ? h('ol', null, steps) : h('p', { class: 'muted' }, 'None'),
  );
}
