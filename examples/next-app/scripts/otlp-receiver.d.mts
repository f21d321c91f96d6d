export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startNanos: bigint;
  endNanos: bigint;
  attributes: Record<string, unknown>;
  status: { code?: number; message?: string };
  events: string[];
  service?: string;
  /** The resource's `process.runtime.name`: `nodejs` or `edge` under Next.js. */
  runtime?: string;
  scope?: string;
}
export interface OtlpReceiver {
  url: string;
  spans: ReceivedSpan[];
  close(): Promise<void>;
}
export function flattenTraceRequest(body: unknown): ReceivedSpan[];
export function startOtlpReceiver(options?: {
  port?: number;
  onSpans?: (spans: ReceivedSpan[]) => void;
  /** How long each answer waits (a slow collector); 0 by default. */
  delayMillis?: number;
}): Promise<OtlpReceiver>;
