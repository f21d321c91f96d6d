/**
 * `nodejs`, or `bun` or `deno` running Next.js's server (both also report a Node.js version: the
 * one they are compatible with, not their own), with the version of that runtime.
 */
export function serverRuntime(): [name: string, version: string | undefined] {
  const versions: Record<string, unknown> =
    (globalThis as { process?: { versions?: Record<string, unknown> } }).process?.versions ?? {};
  const deno = (globalThis as { Deno?: { version?: { deno?: unknown } } }).Deno?.version?.deno;
  const [name, version] =
    typeof versions.bun === 'string'
      ? ['bun', versions.bun]
      : typeof deno === 'string'
        ? ['deno', deno]
        : ['nodejs', versions.node];
  return [name, typeof version === 'string' ? version : undefined];
}
