import { truncateString } from './attribute-value';

/**
 * A span name as diagnostics quote it: up to a `?`, since a name that is a URL (Next.js 15 names
 * its request span by the URL while the handler runs) carries its query there, signed-URL
 * secrets and tokens included; and at most 100 characters, so that a long name makes no long line.
 */
export function shownName(name: string): string {
  const query = name.indexOf('?');
  const shown = query === -1 ? name : `${name.slice(0, query)}?…`;
  const cut = truncateString(shown, 100);
  return cut === shown ? shown : `${cut}…`;
}
