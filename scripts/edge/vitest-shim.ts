/**
 * The slice of vitest's API that runtime-neutral tests use, rebuilt from vitest's own
 * runtime-neutral parts (@vitest/expect, @vitest/spy) so that a test file can be bundled and run
 * inside the edge VM, where node built-ins, `process` and `Buffer` are absent.
 */
import {
  ASYMMETRIC_MATCHERS_OBJECT,
  chai,
  GLOBAL_EXPECT,
  getState,
  JestAsymmetricMatchers,
  JestChaiExpect,
  JestExtend,
  setState,
} from '@vitest/expect';
import { fn, spyOn } from '@vitest/spy';

chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(JestAsymmetricMatchers);

const expectFn = ((value: unknown, message?: string) => chai.expect(value, message)) as any;
Object.assign(expectFn, chai.expect);
Object.assign(expectFn, (globalThis as any)[ASYMMETRIC_MATCHERS_OBJECT]);
expectFn.getState = () => getState(expectFn);
expectFn.setState = (state: any) => setState(state, expectFn);
expectFn.extend = (matchers: any) => (chai.expect as any).extend(expectFn, matchers);
setState(
  { assertionCalls: 0, isExpectingAssertions: false, expectedAssertionsNumber: null },
  expectFn,
);
(globalThis as any)[GLOBAL_EXPECT] = expectFn;

export const expect: typeof import('vitest').expect = expectFn;

type Hook = () => unknown;
interface Suite {
  name: string;
  skip: boolean;
  beforeAll: Hook[];
  afterAll: Hook[];
  beforeEach: Hook[];
  afterEach: Hook[];
  children: Array<Suite | Test>;
  parent?: Suite;
}
interface Test {
  name: string;
  fn?: Hook;
  skip: boolean;
  timeout: number;
}
export interface EdgeTestResult {
  name: string;
  error?: string;
  skipped?: boolean;
}

const root: Suite = newSuite('', false);
let current = root;

function newSuite(name: string, skip: boolean, parent?: Suite): Suite {
  return {
    name,
    skip,
    beforeAll: [],
    afterAll: [],
    beforeEach: [],
    afterEach: [],
    children: [],
    parent,
  };
}

function addSuite(name: string, body: () => void, skip: boolean): void {
  const suite = newSuite(name, skip || current.skip, current);
  current.children.push(suite);
  const previous = current;
  current = suite;
  try {
    body();
  } finally {
    current = previous;
  }
}

function addTest(name: string, body: Hook | undefined, skip: boolean, timeout?: number): void {
  current.children.push({ name, fn: body, skip: skip || current.skip, timeout: timeout ?? 5000 });
}

function withEach<T extends (...args: any[]) => void>(register: T) {
  return (cases: readonly unknown[]) =>
    (name: string, body: (...args: any[]) => unknown, timeout?: number) => {
      for (const [index, item] of cases.entries()) {
        const args = Array.isArray(item) ? item : [item];
        const title = formatTitle(name, args, index);
        register(title, () => body(...args), timeout);
      }
    };
}

function formatTitle(name: string, args: unknown[], index: number): string {
  let i = 0;
  return name.replace(/%#/g, String(index)).replace(/%[sdijo]/g, () => {
    const value = args[i++];
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}

type TestFn = ((name: string, body?: Hook, timeout?: number) => void) & {
  skip: (name: string, body?: Hook, timeout?: number) => void;
  each: (
    cases: readonly unknown[],
  ) => (name: string, body: (...a: any[]) => unknown, timeout?: number) => void;
  skipIf: (condition: unknown) => (name: string, body?: Hook, timeout?: number) => void;
  runIf: (condition: unknown) => (name: string, body?: Hook, timeout?: number) => void;
};

const testFn = ((name: string, body?: Hook, timeout?: number) =>
  addTest(name, body, false, timeout)) as TestFn;
testFn.skip = (name, body, timeout) => addTest(name, body, true, timeout);
testFn.each = withEach((name: string, body: Hook, timeout?: number) =>
  addTest(name, body, false, timeout),
);
testFn.skipIf = (condition) => (name, body, timeout) => addTest(name, body, !!condition, timeout);
testFn.runIf = (condition) => (name, body, timeout) => addTest(name, body, !condition, timeout);

export const it = testFn;
export const test = testFn;

type DescribeFn = ((name: string, body: () => void) => void) & {
  skip: (name: string, body: () => void) => void;
  each: (cases: readonly unknown[]) => (name: string, body: (...a: any[]) => void) => void;
};
const describeFn = ((name: string, body: () => void) => addSuite(name, body, false)) as DescribeFn;
describeFn.skip = (name, body) => addSuite(name, body, true);
describeFn.each = (cases) => (name, body) => {
  for (const [index, item] of cases.entries()) {
    const args = Array.isArray(item) ? item : [item];
    addSuite(formatTitle(name, args, index), () => body(...args), false);
  }
};
export const describe = describeFn;

export const beforeAll = (hook: Hook) => void current.beforeAll.push(hook);
export const afterAll = (hook: Hook) => void current.afterAll.push(hook);
export const beforeEach = (hook: Hook) => void current.beforeEach.push(hook);
export const afterEach = (hook: Hook) => void current.afterEach.push(hook);

const spies = new Set<{ mockRestore(): void }>();
export const vi = {
  fn,
  spyOn: ((object: any, method: any, accessType?: any) => {
    const spy = (spyOn as any)(object, method, accessType);
    spies.add(spy);
    return spy;
  }) as typeof spyOn,
  restoreAllMocks() {
    for (const spy of spies) spy.mockRestore();
    spies.clear();
  },
  waitFor: async <T>(
    check: () => T | Promise<T>,
    options?: { timeout?: number; interval?: number },
  ) => {
    const deadline = Date.now() + (options?.timeout ?? 1000);
    for (;;) {
      try {
        return await check();
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, options?.interval ?? 20));
      }
    }
  },
};

function chain(suite: Suite | undefined, pick: (s: Suite) => Hook[], outerFirst: boolean): Hook[] {
  const levels: Hook[][] = [];
  for (let s = suite; s; s = s.parent) levels.push(pick(s));
  if (outerFirst) levels.reverse();
  return levels.flat();
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.message}\n${error.stack ?? ''}`;
  return String(error);
}

function withTimeout(promise: unknown, ms: number, name: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} timed out after ${ms} ms`)), ms);
    Promise.resolve(promise).then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

async function runSuite(suite: Suite, prefix: string[], results: EdgeTestResult[]): Promise<void> {
  const path = suite.name ? [...prefix, suite.name] : prefix;
  let setupError: string | undefined;
  if (!suite.skip) {
    try {
      for (const hook of suite.beforeAll) await hook();
    } catch (error) {
      setupError = describeError(error);
    }
  }
  for (const child of suite.children) {
    if ('children' in child) {
      await runSuite(child, path, results);
      continue;
    }
    const name = [...path, child.name].join(' > ');
    if (child.skip || !child.fn) {
      results.push({ name, skipped: true });
      continue;
    }
    if (setupError) {
      results.push({ name, error: `beforeAll failed: ${setupError}` });
      continue;
    }
    let error: string | undefined;
    try {
      for (const hook of chain(suite, (s) => s.beforeEach, true)) await hook();
      await withTimeout(child.fn(), child.timeout, name);
    } catch (caught) {
      error = describeError(caught);
    }
    try {
      for (const hook of chain(suite, (s) => s.afterEach, false)) await hook();
    } catch (caught) {
      error ??= `afterEach: ${describeError(caught)}`;
    }
    results.push(error ? { name, error } : { name });
  }
  if (!suite.skip) {
    try {
      for (const hook of suite.afterAll) await hook();
    } catch (error) {
      results.push({ name: [...path, '(afterAll)'].join(' > '), error: describeError(error) });
    }
  }
}

(globalThis as any).__spanliteEdgeRun = async (): Promise<EdgeTestResult[]> => {
  const results: EdgeTestResult[] = [];
  await runSuite(root, [], results);
  return results;
};
