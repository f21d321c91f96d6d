/** Formatting of durations, times and tag values, and the service colours. */

import type { TagValue } from './api-types';

/** `0.42 ms`, `12.5 ms`, `1.23 s`, `2m 05s`: three significant digits where they mean something. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms === 0) return '0 ms';
  if (ms < 1) return `${ms.toFixed(ms < 0.01 ? 3 : 2)} ms`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(ms < 100 ? 1 : 0)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Local wall-clock time with milliseconds, `14:03:27.125`. */
export function formatClock(epochMs: number): string {
  const d = new Date(epochMs);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** Full local date and time, for titles and details. */
export function formatDateTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${formatClock(epochMs)}`;
}

/** `just now`, `42 s ago`, `5 min ago`, or the clock time for anything older than an hour. */
export function formatAgo(epochMs: number, now: number): string {
  const seconds = Math.round((now - epochMs) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  return formatClock(epochMs);
}

export function formatTagValue(value: TagValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Colour-blind-friendlier hues that stay readable as white-on-colour bars; a service keeps its
 * colour across traces and reloads because it is picked by a hash of its name.
 */
const PALETTE = [
  '#3b6fd8', // blue
  '#17965a', // green
  '#e07612', // orange
  '#8b5cf6', // violet
  '#d6336c', // pink
  '#0e9fb4', // cyan
  '#a16207', // amber brown
  '#5b5fe0', // indigo
  '#5f9a0e', // lime
  '#b42fc0', // magenta
  '#0f766e', // teal
  '#56657a', // slate
];

/** FNV-1a over the UTF-16 code units, then a final mix so the low bits (the palette index) vary. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

export function serviceColor(service: string): string {
  return PALETTE[hash(service) % PALETTE.length];
}
