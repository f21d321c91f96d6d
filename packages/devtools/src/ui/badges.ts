/** Small pieces shared by the list and the trace page. */

import { h } from './dom';
import { serviceColor } from './format';

export function serviceDot(service: string): HTMLElement {
  const dot = h('span', { class: 'dot', 'aria-hidden': 'true' });
  dot.style.backgroundColor = serviceColor(service);
  return dot;
}

export function serviceChip(service: string): HTMLElement {
  return h('span', { class: 'service' }, serviceDot(service), service);
}

export function statusBadge(status: string, errorCount?: number): HTMLElement {
  if (status === 'error') {
    const label = errorCount && errorCount > 1 ? `${errorCount} errors` : 'error';
    return h('span', { class: 'badge error' }, label);
  }
  return h('span', { class: `badge ${status === 'ok' ? 'ok' : 'unset'}` }, status);
}
