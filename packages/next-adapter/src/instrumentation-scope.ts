/** The instrumentation scope of the spans this package starts. */
export const INSTRUMENTATION_NAME = '@spanlite/next';
