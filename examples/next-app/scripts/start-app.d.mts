export interface StartedApp {
  url: string;
  output(): string;
  stop(): Promise<void>;
}
export const appDir: string;
export function freePort(): Promise<number>;
export function buildApp(dir?: string): Promise<string>;
export function startApp(options: {
  otlpUrl: string;
  env?: Record<string, string>;
  dir?: string;
}): Promise<StartedApp>;
