/** The waterfall: one row per span, a bar placed by offset and duration on the trace's time axis. */

import { serviceDot } from './badges';
import { h } from './dom';
import { formatDuration, serviceColor } from './format';
import type { WaterfallRow } from './waterfall-rows';

export interface Waterfall {
  element: HTMLElement;
  /** Marks the span's row as the selected one (or none), without moving focus. */
  select(spanId: string | null): void;
}

const INDENT_PX = 16;
/** Room on the left of every name for the critical-path marker. */
const GUTTER_PX = 24;
const TICKS = 4;

export function renderWaterfall(
  rows: readonly WaterfallRow[],
  traceDuration: number,
  critical: ReadonlySet<string>,
  onSelect: (spanId: string) => void,
): Waterfall {
  // A zero-length trace still draws: every bar then starts at 0 and takes its minimum width.
  const scale = traceDuration > 0 ? traceDuration : 1;
  const buttons = new Map<string, HTMLButtonElement>();
  const list = h('ol', { class: 'wf-rows' });
  for (const row of rows) {
    const button = rowButton(row, scale, critical.has(row.span.spanId));
    button.addEventListener('click', () => onSelect(row.span.spanId));
    buttons.set(row.span.spanId, button);
    list.append(h('li', null, button));
  }
  list.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const item = (event.target as Element).closest('li');
    const next =
      event.key === 'ArrowDown' ? item?.nextElementSibling : item?.previousElementSibling;
    const target = next?.querySelector('button');
    if (!target) return;
    event.preventDefault();
    target.focus();
  });

  const element = h(
    'div',
    { class: 'waterfall', role: 'region', 'aria-label': 'Waterfall' },
    h(
      'div',
      { class: 'wf-head', 'aria-hidden': 'true' },
      h('span', { class: 'wf-name' }, 'Span'),
      axis(traceDuration),
    ),
    list,
  );

  let selected: HTMLButtonElement | undefined;
  return {
    element,
    select(spanId) {
      selected?.classList.remove('selected');
      selected?.setAttribute('aria-pressed', 'false');
      selected = spanId ? buttons.get(spanId) : undefined;
      selected?.classList.add('selected');
      selected?.setAttribute('aria-pressed', 'true');
    },
  };
}

function axis(traceDuration: number): HTMLElement {
  const ticks = h('span', { class: 'wf-track wf-axis' });
  for (let i = 0; i <= TICKS; i++) {
    const tick = h('span', { class: 'tick' }, formatDuration((traceDuration * i) / TICKS));
    tick.style.left = `${(i / TICKS) * 100}%`;
    if (i === 0) tick.classList.add('first');
    if (i === TICKS) tick.classList.add('last');
    ticks.append(tick);
  }
  return ticks;
}

function rowButton(row: WaterfallRow, scale: number, isCritical: boolean): HTMLButtonElement {
  const { span } = row;
  const left = clampPercent((row.offset / scale) * 100);
  const width = Math.min(clampPercent((span.duration / scale) * 100), 100 - left);
  const end = left + width;

  const bar = h('span', { class: 'wf-bar' });
  bar.style.left = `${left}%`;
  bar.style.width = `${width}%`;
  bar.style.backgroundColor = serviceColor(span.service);

  // The duration sits after the bar, or before it when the bar reaches the right edge, or inside
  // it when it spans nearly the whole trace.
  const label = h('span', { class: 'wf-label' }, formatDuration(span.duration));
  if (end <= 78) label.style.left = `calc(${end}% + 6px)`;
  else if (left >= 22) label.style.right = `calc(${100 - left}% + 6px)`;
  else {
    label.classList.add('inside');
    label.style.right = `calc(${100 - end}% + 6px)`;
  }

  const name = h(
    'span',
    { class: 'wf-name', title: `${span.service}: ${span.operation}` },
    isCritical && [
      h('span', { class: 'crit-marker', 'aria-hidden': 'true' }),
      h('span', { class: 'visually-hidden' }, 'Critical path: '),
    ],
    serviceDot(span.service),
    h('span', { class: 'wf-op' }, span.operation || '(unnamed)'),
    h('span', { class: 'wf-svc' }, span.service),
    span.status === 'error' && h('span', { class: 'badge error small' }, 'error'),
    row.orphan &&
      h('span', { class: 'badge unset small', title: 'Its parent span has not arrived' }, 'orphan'),
  );
  name.style.paddingLeft = `${GUTTER_PX + row.depth * INDENT_PX}px`;

  const classes = ['wf-row'];
  if (isCritical) classes.push('critical');
  if (span.status === 'error') classes.push('error');
  return h(
    'button',
    {
      type: 'button',
      class: classes.join(' '),
      'aria-pressed': 'false',
      'data-span-id': span.spanId,
    },
    name,
    h('span', { class: 'wf-track' }, bar, label),
  );
}

const clampPercent = (value: number): number =>
  Number.isFinite(value) ? Math.min(Math.max(value, 0), 100) : 0;
