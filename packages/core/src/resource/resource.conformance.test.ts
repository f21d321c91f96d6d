// The SDK-provided default of `service.name`, against the resource semantic conventions
// (`service.name`): "If `service.name` is not specified, SDKs MUST fallback to `unknown_service:`
// concatenated with `process.executable.name`, e.g. `unknown_service:java`. If
// `process.executable.name` is not available, the value MUST be set to `unknown_service`."
// The node project runs this file with runtime/node.ts (the node build: the executable is
// `process.execPath`'s base name), the edge project (test/core.edge.test.ts, in the edge VM) with
// runtime/edge.ts (the edge build: no executable).
import { afterEach, describe, expect, it } from 'vitest';
import { SDK_LANGUAGE } from '../runtime/edge';
import { createResource } from './create-resource';

const defaultName = () => createResource({}, {}).attributes['service.name'];
/** Whether `../runtime/edge` resolved to runtime/node.ts (the node project) or not (the edge VM). */
const NODE_BUILD = (SDK_LANGUAGE as string) === 'nodejs';

describe('service.name fallback (resource semantic conventions: "SDKs MUST fallback to unknown_service:")', () => {
  it('is unknown_service: and process.executable.name in the node build, unknown_service in the edge build', () => {
    if (NODE_BUILD) expect(defaultName()).toMatch(/^unknown_service:node(\.exe)?$/);
    else expect(defaultName()).toBe('unknown_service');
  });

  it('is only a fallback: OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES and the options win', () => {
    const named = (options: object, env: Record<string, string>) =>
      createResource(options, env).attributes['service.name'];
    expect(named({}, { OTEL_SERVICE_NAME: 'env' })).toBe('env');
    expect(named({}, { OTEL_RESOURCE_ATTRIBUTES: 'service.name=attrs' })).toBe('attrs');
    expect(named({ attributes: { 'service.name': 'opt' } }, {})).toBe('opt');
    expect(named({ serviceName: 'name' }, {})).toBe('name');
  });

  describe('process.executable.name in the node build', () => {
    const processLike = (globalThis as { process?: { execPath?: unknown } }).process;
    const execPath = processLike?.execPath;
    afterEach(() => {
      if (processLike !== undefined) processLike.execPath = execPath;
    });

    it.runIf(NODE_BUILD)(
      'is the base name of process.execPath (POSIX or Windows), else there is none',
      () => {
        const cases: Array<[unknown, string]> = [
          ['/usr/local/bin/node', 'unknown_service:node'],
          ['/home/u/.bun/bin/bun', 'unknown_service:bun'],
          ['C:\\Program Files\\nodejs\\node.exe', 'unknown_service:node.exe'],
          ['deno', 'unknown_service:deno'],
          ['/usr/bin/', 'unknown_service'],
          ['', 'unknown_service'],
          [undefined, 'unknown_service'],
        ];
        for (const [path, expected] of cases) {
          processLike!.execPath = path;
          expect(defaultName()).toBe(expected);
        }
      },
    );
  });
});
