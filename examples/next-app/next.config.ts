import type { NextConfig } from 'next';

const config: NextConfig = {
  // a dynamic page's <head> names its request span (`<meta name="traceparent" …>`), for a browser
  // SDK to continue the trace; Next.js writes it through the propagator registerTracing registers
  experimental: { clientTraceMetadata: ['traceparent', 'tracestate'] },
};

export default config;
