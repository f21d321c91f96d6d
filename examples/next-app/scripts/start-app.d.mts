export interface StartedApp {
  url: string;
  output(): string;
  /** SIGTERM, then SIGKILL after `killAfterMillis` (5000); true if the server exited by itself. */
  stop(killAfterMillis?: number): Promise<boolean>;
}
export const appDir: string;
export function freePort(): Promise<number>;
export function buildApp(dir?: string): Promise<string>;
export function startApp(options: {
  otlpUrl: string;
  env?: Record<string, string>;
  dir?: string;
}): Promise<StartedApp>;
