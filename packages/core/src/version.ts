/** This package's version (kept equal to package.json by version.test.ts). */
export const VERSION = '0.0.0';
