import { DiagConsoleLogger, type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { type EnvSource, readEnvString } from '@spanlite/core';

/**
 * `OTEL_LOG_LEVEL` (none, error, warn, info, debug, verbose, all; any case): when set, the
 * diagnostics of spanlite (and of anything else using `diag`) go to the console at that level,
 * replacing a logger set before. Unset or empty, nothing is installed and a logger the app set
 * stays, as with the reference SDK's NodeSDK. An unknown value gets the specification's default,
 * info, and a warning. `logger`: where the console logger goes in tests.
 */
export function setDiagLoggerFromEnv(
  env: EnvSource,
  logger: DiagLogger = new DiagConsoleLogger(),
): void {
  const raw = readEnvString(env, 'OTEL_LOG_LEVEL');
  if (raw === undefined) return;
  const level = (DiagLogLevel as unknown as Record<string, unknown>)[raw.toUpperCase()];
  const known = typeof level === 'number';
  diag.setLogger(logger, {
    logLevel: known ? level : DiagLogLevel.INFO,
    suppressOverrideMessage: true,
  });
  if (!known) {
    diag.warn(
      `OTEL_LOG_LEVEL=${raw} is not one of none, error, warn, info, debug, verbose, all; using info`,
    );
  }
}
