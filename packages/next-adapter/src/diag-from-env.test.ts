import { DiagConsoleLogger, type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { afterEach, expect, it, vi } from 'vitest';
import { setDiagLoggerFromEnv } from './diag-from-env';

afterEach(() => {
  diag.disable();
});

// DiagConsoleLogger keeps the console methods it found when @opentelemetry/api loaded, so the
// tests stand a recording logger in for the console.
function recorder() {
  const lines: string[] = [];
  const record = (level: string) => (message: string) => {
    if (!message.startsWith('@opentelemetry/api:')) lines.push(`${level} ${message}`);
  };
  const logger: DiagLogger = {
    error: record('error'),
    warn: record('warn'),
    info: record('info'),
    debug: record('debug'),
    verbose: record('verbose'),
  };
  return { logger, lines };
}

function logAll() {
  diag.error('e');
  diag.warn('w');
  diag.info('i');
  diag.debug('d');
  diag.verbose('v');
}

it('logs at the level OTEL_LOG_LEVEL names, in any case', () => {
  const { logger, lines } = recorder();
  setDiagLoggerFromEnv({ OTEL_LOG_LEVEL: ' Warn ' }, logger);
  logAll();
  expect(lines).toEqual(['error e', 'warn w']);
});

it('logs nothing with none, everything with all', () => {
  const none = recorder();
  setDiagLoggerFromEnv({ OTEL_LOG_LEVEL: 'none' }, none.logger);
  logAll();
  expect(none.lines).toEqual([]);
  const all = recorder();
  setDiagLoggerFromEnv({ OTEL_LOG_LEVEL: 'ALL' }, all.logger);
  logAll();
  expect(all.lines).toEqual(['error e', 'warn w', 'info i', 'debug d', 'verbose v']);
});

it('leaves a logger the app set alone when OTEL_LOG_LEVEL is unset or empty', () => {
  const own = recorder();
  diag.setLogger(own.logger, DiagLogLevel.WARN);
  const ours = recorder();
  setDiagLoggerFromEnv({}, ours.logger);
  setDiagLoggerFromEnv({ OTEL_LOG_LEVEL: ' ' }, ours.logger);
  diag.warn('to the app');
  expect(own.lines).toEqual(['warn to the app']);
  expect(ours.lines).toEqual([]);
});

it('uses info, the specification default, for an unknown value, and says so', () => {
  const { logger, lines } = recorder();
  setDiagLoggerFromEnv({ OTEL_LOG_LEVEL: 'loud' }, logger);
  logAll();
  expect(lines).toEqual([
    'warn OTEL_LOG_LEVEL=loud is not one of none, error, warn, info, debug, verbose, all; using info',
    'error e',
    'warn w',
    'info i',
  ]);
});

it('installs a console logger by default', () => {
  const setLogger = vi.spyOn(diag, 'setLogger');
  setDiagLoggerFromEnv({ OTEL_LOG_LEVEL: 'error' });
  expect(setLogger.mock.calls[0]![0]).toBeInstanceOf(DiagConsoleLogger);
  setLogger.mockRestore();
});
