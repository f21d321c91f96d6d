/**
 * Whether `globals` are a browser's: a page (`document`) or a browser worker (`importScripts`).
 * Edge functions, Cloudflare Workers and Deno have neither.
 */
export function isBrowser(globals: object): boolean {
  return 'document' in globals || 'importScripts' in globals;
}
