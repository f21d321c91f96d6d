/**
 * Tests fail on unexpected console output: a library that prints is a library users rip out.
 * A test that expects output spies on the console method itself (vi.spyOn replaces this wrapper).
 */
import { afterEach } from 'vitest';

const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
const printed: string[] = [];
for (const method of methods) {
  const original = console[method];
  console[method] = (...args: unknown[]) => {
    printed.push(`console.${method}: ${args.map(String).join(' ')}`);
    original.apply(console, args);
  };
}

afterEach(() => {
  if (printed.length === 0) return;
  const lines = printed.splice(0);
  throw new Error(`unexpected console output:\n${lines.join('\n')}`);
});
