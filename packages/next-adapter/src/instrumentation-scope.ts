/** The instrumentation scope of the spans this package starts. */
export const INSTRUMENTATION_NAME = '@spanlite/next';

/** The instrumentation scope of Next.js's own spans. */
export const NEXT_SCOPE = 'next.js';
