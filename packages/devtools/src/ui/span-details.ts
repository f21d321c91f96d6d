/** The details of one span: who, what, how long, and everything the app attached to it. */

import type { Bottleneck, SpanView, TagValue } from './api-types';
import { serviceChip, statusBadge } from './badges';
import { h } from './dom';
import { formatDateTime, formatDuration, formatTagValue } from './format';

export interface SpanContext {
  traceStart: number;
  traceDuration: number;
  critical: boolean;
  bottleneck: Bottleneck | undefined;
  onClose: () => void;
}

export function spanDetails(span: SpanView, context: SpanContext): HTMLElement {
  const offset = span.startTime - context.traceStart;
  const share = context.traceDuration > 0 ? (span.duration / context.traceDuration) * 100 : 100;
  const close = h(
    'button',
    { type: 'button', class: 'icon-button', 'aria-label': 'Close details' },
    '×',
  );
  close.addEventListener('click', context.onClose);

  return h(
    'section',
    { class: 'details', 'aria-labelledby': 'details-title' },
    h(
      'div',
      { class: 'details-head' },
      h('h2', { id: 'details-title' }, span.operation || '(unnamed)'),
      close,
    ),
    h(
      'p',
      { class: 'details-badges' },
      serviceChip(span.service),
      h('span', { class: 'badge kind' }, span.kind),
      statusBadge(span.status),
      context.critical && h('span', { class: 'badge critical' }, 'critical path'),
    ),
    keyValues([
      ['Service', span.service],
      ['Operation', span.operation],
      ['Kind', span.kind],
      ['Status', span.statusMessage ? `${span.status}: ${span.statusMessage}` : span.status],
      ['Duration', `${formatDuration(span.duration)} (${share.toFixed(1)}% of the trace)`],
      context.bottleneck && [
        'Own time',
        `${formatDuration(context.bottleneck.duration)} (${context.bottleneck.percentage.toFixed(1)}%)`,
      ],
      ['Start', `+${formatDuration(offset)} · ${formatDateTime(span.startTime)}`],
      ['Span ID', span.spanId, 'mono'],
      ['Parent ID', parentText(span), 'mono'],
      ['Trace ID', span.traceId, 'mono'],
      ['Scope', span.scope.version ? `${span.scope.name} ${span.scope.version}` : span.scope.name],
      Boolean(span.droppedLinksCount) && [
        'Links',
        dropped(span.droppedLinksCount!, 'link', 'links'),
      ],
    ]),
    section('Tags', span.tags, span.droppedAttributesCount),
    logsSection(span, context.traceStart),
    section('Resource', span.resource),
  );
}

/** The parent's id, and what is known of it: remote, not received. */
function parentText(span: SpanView): string {
  if (span.parentSpanId === null) return '(root)';
  if (span.parentMissing) {
    return `${span.parentSpanId} (${span.remoteParent ? 'remote, ' : ''}not received)`;
  }
  return span.remoteParent ? `${span.parentSpanId} (remote)` : span.parentSpanId;
}

/** What the sender left out (its span limits), `12 attributes dropped`. */
const dropped = (count: number, one: string, many: string): string =>
  `${count} ${count === 1 ? one : many} dropped`;

function droppedNote(count: number | undefined, one: string, many: string): HTMLElement | false {
  return (
    Boolean(count) &&
    h(
      'p',
      { class: 'muted dropped', title: "Left out by the sender's span limits" },
      dropped(count!, one, many),
    )
  );
}

type Pair = [label: string, value: string, className?: string];

function keyValues(pairs: (Pair | undefined | false | '')[]): HTMLElement {
  const list = h('dl', { class: 'kv' });
  for (const pair of pairs) {
    if (!pair) continue;
    const [label, value, className] = pair;
    list.append(h('dt', null, label), h('dd', { class: className }, value));
  }
  return list;
}

function attributeTable(values: Record<string, TagValue>, label: string): HTMLElement {
  const keys = Object.keys(values).sort();
  return h(
    'table',
    { class: 'attrs', 'aria-label': label },
    h(
      'tbody',
      null,
      keys.map((key) =>
        h('tr', null, h('th', { scope: 'row' }, key), h('td', null, formatTagValue(values[key]))),
      ),
    ),
  );
}

function section(
  title: string,
  values: Record<string, TagValue> | undefined,
  droppedCount?: number,
): HTMLElement {
  const count = values ? Object.keys(values).length : 0;
  return h(
    'div',
    { class: 'details-section' },
    h('h3', null, title, h('span', { class: 'count' }, String(count))),
    count > 0 && values ? attributeTable(values, title) : h('p', { class: 'muted' }, 'None'),
    droppedNote(droppedCount, 'attribute', 'attributes'),
  );
}

function logsSection(span: SpanView, traceStart: number): HTMLElement {
  const logs = span.logs ?? [];
  return h(
    'div',
    { class: 'details-section' },
    h('h3', null, 'Logs', h('span', { class: 'count' }, String(logs.length))),
    logs.length === 0
      ? h('p', { class: 'muted' }, 'None')
      : h(
          'ol',
          { class: 'logs' },
          logs.map((log) =>
            h(
              'li',
              { class: log.name === 'exception' ? 'exception' : null },
              h(
                'p',
                { class: 'log-head' },
                h('span', { class: 'log-time' }, `+${formatDuration(log.timestamp - traceStart)}`),
                h('span', { class: 'log-name' }, log.name),
              ),
              Object.keys(log.fields ?? {}).length > 0 &&
                attributeTable(log.fields, `Fields of ${log.name}`),
            ),
          ),
        ),
    droppedNote(span.droppedEventsCount, 'event', 'events'),
  );
}
