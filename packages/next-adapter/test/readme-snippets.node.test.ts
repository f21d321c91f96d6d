/**
 * The READMEs' code blocks against the built packages, as a user's editor sees them: every
 * ```ts, ```tsx or ```js block that imports from `@spanlite/...` (statically or through
 * `import()`) is type-checked with `strict`, `moduleResolution: "bundler"`, `module: "esnext"`,
 * `target: "es2022"`, `lib: ["es2022", "dom"]` and `types: ["node"]`, each block a module of its
 * own, all of them in one program (one `ts.createProgram` over virtual files, a few seconds).
 *
 * A README says more about a block in an HTML comment on the line before its fence, which GitHub
 * does not show:
 * - `<!-- snippet: fragment -->`: not checked (a piece of a larger file).
 * - `<!-- snippet: context CODE -->`: CODE goes before the block, for the names the prose around it
 *   gives (an import, `declare const model: any;`). It states what the block assumes; never use it
 *   to change what the block claims.
 *
 * Packages a block names that are not installed here (Sentry, the AI SDK, Prisma…) are `any`, and
 * so are the runtimes' own globals (`Deno`, `Bun`, a Worker's `Env`): what is checked is spanlite's
 * side of each block. Needs the packages built (`npm run build`), as `npm test` does first.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url).pathname;

/** Every README of the repository a user reads: the root's, the packages' and the examples'. */
const readmes = [
  'README.md',
  ...['packages', 'examples'].flatMap((dir) =>
    readdirSync(join(root, dir), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${dir}/${entry.name}/README.md`)
      .filter((path) => existsSync(join(root, path))),
  ),
];

/** Modules README blocks import that are not installed in this repository: typed `any`. */
const NOT_INSTALLED = [
  '@ai-sdk/otel',
  '@langfuse/otel',
  '@opentelemetry/instrumentation-pg',
  '@prisma/instrumentation',
  '@sentry/nextjs',
  '@sentry/opentelemetry',
  'ai',
];

/** The globals of other runtimes, as loosely as the blocks use them, and the app's own files. */
const AMBIENT = `
${NOT_INSTALLED.map((name) => `declare module '${name}';`).join('\n')}
interface Env {}
interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
}
declare const Deno: { serve(handler: (request: Request) => Response | Promise<Response>): unknown };
declare const Bun: {
  serve(options: { fetch(request: Request): Response | Promise<Response> }): unknown;
};
`;
const APP_FILES: Record<string, string> = {
  'sentry.server.config.ts': 'export const client: any = undefined;\n',
  'sentry.edge.config.ts': 'export {};\n',
};

const FENCE = /^```(ts|typescript|tsx|js|javascript|jsx)\s*$/;
const MARKER = /^<!--\s*snippet:\s*(fragment|context)\b([\s\S]*?)-->\s*$/;
const SPANLITE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*)['"]@spanlite\//;

interface Snippet {
  /** `packages/core/README.md:14`: where the fence opens. */
  where: string;
  readme: string;
  /** The README's line of the block's first line. */
  firstLine: number;
  /** Lines of context put before the block. */
  contextLines: number;
  fileName: string;
  text: string;
}

/** The blocks of one README to check (see the rule above). */
function extractSnippets(readme: string, markdown: string, dir: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = FENCE.exec(lines[i]!);
    if (!fence) continue;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    const body = lines.slice(i + 1, end).join('\n');
    const marker = MARKER.exec(lines[i - 1]?.trim() ?? '');
    const fenceLine = i + 1;
    i = end;
    if (marker?.[1] === 'fragment' || !SPANLITE_IMPORT.test(body)) continue;
    const context = marker?.[1] === 'context' ? `${marker[2]!.trim()}\n` : '';
    const lang = fence[1]!;
    const ext =
      lang === 'tsx' ? 'tsx' : lang === 'jsx' ? 'jsx' : lang.startsWith('j') ? 'js' : 'ts';
    snippets.push({
      where: `${readme}:${fenceLine}`,
      readme,
      firstLine: fenceLine + 1,
      contextLines: context === '' ? 0 : context.split('\n').length - 1,
      fileName: join(dir, `${readme.replace(/[/.]/g, '_')}_L${fenceLine}.${ext}`),
      text: `${context}${body}\nexport {};\n`,
    });
  }
  return snippets;
}

/** Type-checks the snippets in one program; the diagnostics as `README.md:line TS1234: text`. */
function checkSnippets(snippets: Snippet[], dir: string): string[] {
  const files = new Map<string, string>(snippets.map((s) => [s.fileName, s.text]));
  files.set(join(dir, 'ambient.d.ts'), AMBIENT);
  for (const [name, text] of Object.entries(APP_FILES)) files.set(join(dir, name), text);
  const options: ts.CompilerOptions = {
    strict: true,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    module: ts.ModuleKind.ESNext,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: ['node'],
    jsx: ts.JsxEmit.Preserve,
    allowJs: true,
    checkJs: true,
    noEmit: true,
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile, directoryExists } = host;
  host.getCurrentDirectory = () => root;
  host.fileExists = (name) => files.has(name) || fileExists.call(host, name);
  host.readFile = (name) => files.get(name) ?? readFile.call(host, name);
  host.directoryExists = (name) => name === dir || (directoryExists?.call(host, name) ?? true);
  host.getSourceFile = (name, language, ...rest) => {
    const text = files.get(name);
    return text === undefined
      ? getSourceFile.call(host, name, language, ...rest)
      : ts.createSourceFile(name, text, language, true);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  const bySnippet = new Map(snippets.map((s) => [s.fileName, s]));
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n  ');
    const snippet = d.file && bySnippet.get(d.file.fileName);
    if (!snippet || d.start === undefined)
      return `${d.file?.fileName ?? ''} TS${d.code}: ${message}`;
    const line = d.file!.getLineAndCharacterOfPosition(d.start).line - snippet.contextLines;
    const at =
      line < 0 ? `${snippet.where} (context)` : `${snippet.readme}:${snippet.firstLine + line}`;
    return `${at} TS${d.code}: ${message}`;
  });
}

it("type-checks the READMEs' code blocks against the built packages", () => {
  const dir = join(root, '.readme-snippets');
  const snippets = readmes.flatMap((readme) =>
    extractSnippets(readme, readFileSync(join(root, readme), 'utf8'), dir),
  );
  // The same program also gets a block with a mistake, so that a checker that sees nothing fails.
  const broken = extractSnippets(
    'broken.md',
    [
      '```ts',
      "import { registerTracing } from '@spanlite/next';",
      "registerTracing({ servicename: 'shop' });",
      '```',
    ].join('\n'),
    dir,
  );
  const diagnostics = checkSnippets([...snippets, ...broken], dir);
  expect(snippets.length).toBeGreaterThan(0);
  expect(diagnostics.filter((d) => d.startsWith('broken.md:3 TS2561'))).toHaveLength(1);
  expect(diagnostics.filter((d) => !d.startsWith('broken.md:'))).toEqual([]);
}, 60_000);
