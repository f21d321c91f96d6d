import { diag } from '@opentelemetry/api';

/**
 * The app's `basePath`, which `http.route` starts with: the option, else Next.js's `basePath`,
 * which Next.js's bundler writes into the code it bundles, in the node and edge runtimes alike
 * (`process.env.__NEXT_ROUTER_BASEPATH`, as its define has it); `''` outside Next.js. It is not
 * guessed from a request's path: a rewrite also shortens it, and would put part of a path, maybe
 * an id, in front of every route.
 */
export function resolveBasePath(option: string | undefined): string {
  const value = option ?? nextBasePath();
  if (value === undefined || value === '') return '';
  if (typeof value !== 'string' || value[0] !== '/') {
    diag.warn(`@spanlite/next: basePath ${JSON.stringify(value)} does not start with "/"; ignored`);
    return '';
  }
  return value.endsWith('/') ? value.slice(0, -1) : value;
}

function nextBasePath(): string | undefined {
  try {
    // written out whole, for Next.js's define to replace; `process` may not exist where it did not
    return process.env.__NEXT_ROUTER_BASEPATH;
  } catch {
    return undefined;
  }
}

/**
 * `route` under `basePath` (`/docs` and `/api/items` make `/docs/api/items`; `/` makes `/docs`).
 * A route given with the basePath already (`/docs/api/items`) is left as it is.
 */
export function underBasePath(basePath: string, route: string): string {
  if (basePath === '' || route === basePath || route.startsWith(`${basePath}/`)) return route;
  if (route === '/' || route === '') return basePath;
  return route[0] === '/' ? basePath + route : `${basePath}/${route}`;
}
