/**
 * How the benches bundle a stack for the edge, as Next.js's edge entries and workers resolve it:
 * the `browser` platform, because the reference's packages swap their Node files through the
 * `browser` field, which esbuild applies on this platform only; and the conditions listed in full,
 * as webpack and Turbopack list them (with custom conditions esbuild adds `require` for a
 * `require()`, which would give CommonJS builds that cannot be tree-shaken: the reference's
 * semantic conventions then weigh 80 KB minified). Minified, kept in memory. Spread into each
 * bench's own `build` options (entry, format, externals).
 */
export const EDGE_BUILD_OPTIONS = {
  bundle: true,
  minify: true,
  write: false,
  platform: 'browser',
  target: 'es2022',
  mainFields: ['browser', 'module', 'main'],
  conditions: ['edge-light', 'worker', 'browser', 'module', 'import', 'default'],
  logLevel: 'silent',
};
