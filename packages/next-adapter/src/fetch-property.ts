type Fetch = typeof fetch;

/** Marks the getter `setGlobalFetch` puts on `globalThis.fetch`. */
const ACCESSOR = Symbol.for('@spanlite/next.fetch-accessor');

/**
 * Node runtime: makes `globalThis.fetch` an accessor whose setter keeps `traced` when assigned
 * the very function it wraps. Next.js's dev server does that on every hot reload (`resetFetch`
 * puts back the fetch it saw at start, then Next.js patches that again), which left `fetch`
 * untraced until a restart. Any other assignment (Next.js's patch on top, a test's mock) takes
 * effect as given. A fetch behind the runtime's own accessor, or that cannot be redefined, is
 * assigned plainly.
 */
export function setGlobalFetch(g: { fetch?: Fetch }, original: Fetch, traced: Fetch): void {
  const own = Object.getOwnPropertyDescriptor(g, 'fetch');
  if (own !== undefined && !(own.configurable && 'value' in own)) {
    g.fetch = traced;
    return;
  }
  let current = traced;
  const get = Object.assign(() => current, { [ACCESSOR]: true });
  Object.defineProperty(g, 'fetch', {
    configurable: true,
    enumerable: own?.enumerable ?? true,
    get,
    set(value: Fetch) {
      current = value === original ? traced : value;
    },
  });
}

/** Whether `globalThis.fetch` is `setGlobalFetch`'s accessor: traced, perhaps under another wrapper. */
export function hasFetchAccessor(g: object): boolean {
  return accessorOf(g) !== undefined;
}

/** Puts `value` in `globalThis.fetch`, as a plain property again where it was the accessor. */
export function unsetGlobalFetch(g: { fetch?: Fetch }, value: Fetch | undefined): void {
  const own = accessorOf(g);
  if (own === undefined) {
    if (value !== g.fetch) g.fetch = value;
    return;
  }
  Object.defineProperty(g, 'fetch', {
    value,
    writable: true,
    configurable: true,
    enumerable: own.enumerable,
  });
}

function accessorOf(g: object): PropertyDescriptor | undefined {
  const own = Object.getOwnPropertyDescriptor(g, 'fetch');
  return (own?.get as { [ACCESSOR]?: boolean } | undefined)?.[ACCESSOR] === true ? own : undefined;
}
