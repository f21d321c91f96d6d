/**
 * The waterfall view in headless Chromium: the list shows the traces, a click opens the waterfall,
 * the critical path is highlighted, a span's details open on click, and app-supplied text stays
 * text. A screenshot of the trace page is kept in test-artifacts/.
 *
 * Needs the built UI (dist/ui/, `npm run build`); the API is a fixture server answering the
 * README's shapes with fixed JSON.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpanView, TraceAnalysis, TraceSummary, TraceView } from '../src/ui/api-types';
import { createUiServer } from '../src/ui/ui-assets';

const UI_DIR = fileURLToPath(new URL('../dist/ui/', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';

// ---------------------------------------------------------------------------------------------
// Fixture data: a checkout request through four services, whose critical path runs
// frontend → checkout → payments → fraud-check; plus two smaller traces for the list.

const T0 = Date.now() - 42_000;
const CHECKOUT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const HOSTILE = '<img src=x onerror="document.title=\'pwned\'">';

let nextSpan = 1;
function span(
  service: string,
  operation: string,
  parent: SpanView | null,
  start: number,
  duration: number,
  extra: Partial<SpanView> = {},
): SpanView {
  return {
    traceId: CHECKOUT_TRACE,
    spanId: (nextSpan++).toString(16).padStart(16, 'a'),
    parentSpanId: parent ? parent.spanId : null,
    service,
    operation,
    kind: 'internal',
    startTime: T0 + start,
    duration,
    status: 'ok',
    tags: {},
    logs: [],
    resource: { 'service.name': service },
    scope: { name: '@spanlite/core', version: '0.1.0' },
    ...extra,
  };
}

const root = span('frontend', 'GET /checkout', null, 0, 184.6, {
  kind: 'server',
  tags: {
    'http.request.method': 'GET',
    'http.route': '/checkout',
    'http.response.status_code': 200,
  },
});
const auth = span('frontend', 'auth.verifySession', root, 2.1, 7.8);
const cartClient = span('frontend', 'POST /api/cart', root, 11.4, 170.2, { kind: 'client' });
const cartServer = span('checkout', 'POST /api/cart', cartClient, 13.0, 166.1, {
  kind: 'server',
  tags: { 'http.route': '/api/cart', 'cart.items': 3, 'user.tier': 'gold' },
});
const cartQuery = span('checkout', 'SELECT cart_items', cartServer, 15.2, 21.4, {
  kind: 'client',
  tags: {
    'db.system': 'postgresql',
    'db.query.text': 'SELECT * FROM cart_items WHERE cart_id = $1',
  },
});
const stock = span('inventory', 'GET /stock/:sku', cartServer, 38.0, 34.5, {
  kind: 'server',
  status: 'error',
  statusMessage: 'sku 1042 not found',
  logs: [
    {
      timestamp: T0 + 70.3,
      name: 'exception',
      fields: { 'exception.type': 'NotFoundError', 'exception.message': 'sku 1042 not found' },
    },
  ],
});
const charge = span('payments', 'POST /charge', cartServer, 74.8, 101.9, {
  kind: 'server',
  tags: { 'payment.provider': 'stripe', amount: 129.9 },
});
const fraud = span('payments', 'fraud-check', charge, 80.1, 93.7, {
  tags: { 'fraud.score': 0.12, 'fraud.rules': ['velocity', 'geo'] },
  logs: [{ timestamp: T0 + 120, name: 'rules.loaded', fields: { count: 42 } }],
});
const receipt = span('email', HOSTILE, cartServer, 76.0, 12.3, {
  kind: 'producer',
  tags: { [HOSTILE]: HOSTILE },
});
const spans = [root, auth, cartClient, cartServer, cartQuery, stock, charge, receipt, fraud];
const CRITICAL = [root, cartClient, cartServer, charge, fraud];

const checkoutTrace: TraceView = {
  traceId: CHECKOUT_TRACE,
  rootSpan: root,
  spans: [...spans].sort((a, b) => a.startTime - b.startTime),
  serviceCalls: { frontend: 3, checkout: 2, inventory: 1, payments: 2, email: 1 },
  duration: 184.6,
  status: 'error',
  startTime: T0,
  services: ['frontend', 'checkout', 'inventory', 'payments', 'email'],
  spanCount: spans.length,
  complete: true,
};

const checkoutAnalysis: TraceAnalysis = {
  traceId: CHECKOUT_TRACE,
  totalDuration: 184.6,
  serviceCalls: checkoutTrace.serviceCalls,
  bottlenecks: [
    {
      spanId: fraud.spanId,
      service: 'payments',
      operation: 'fraud-check',
      duration: 93.7,
      percentage: 50.8,
    },
    {
      spanId: stock.spanId,
      service: 'inventory',
      operation: 'GET /stock/:sku',
      duration: 34.5,
      percentage: 18.7,
    },
    {
      spanId: cartQuery.spanId,
      service: 'checkout',
      operation: 'SELECT cart_items',
      duration: 21.4,
      percentage: 11.6,
    },
  ],
  serviceBreakdown: { frontend: 24.9, checkout: 26.2, inventory: 34.5, payments: 102, email: 12.3 },
  criticalPath: CRITICAL.map((s) => `${s.service}:${s.operation}`),
  criticalPathSpanIds: CRITICAL.map((s) => s.spanId),
};

/** A trace still receiving spans: its second span arrives after the page first loads it. */
const LIVE_TRACE = 'a1'.repeat(16);
const liveRoot: SpanView = {
  ...root,
  traceId: LIVE_TRACE,
  spanId: 'b'.repeat(16),
  operation: 'GET /health',
  startTime: T0 + 30_000,
  duration: 1.27,
  tags: {},
};
const liveChild: SpanView = {
  ...liveRoot,
  spanId: 'c'.repeat(16),
  parentSpanId: liveRoot.spanId,
  operation: 'ping db',
  startTime: liveRoot.startTime + 0.2,
  duration: 0.9,
};
function liveTrace(spansSoFar: SpanView[]): TraceView {
  return {
    traceId: LIVE_TRACE,
    rootSpan: liveRoot,
    spans: spansSoFar,
    serviceCalls: { frontend: spansSoFar.length },
    duration: 1.27,
    status: 'ok',
    startTime: liveRoot.startTime,
    services: ['frontend'],
    spanCount: spansSoFar.length,
    complete: spansSoFar.length === 2,
  };
}

const summaries: TraceSummary[] = [
  {
    traceId: LIVE_TRACE,
    rootService: 'frontend',
    rootOperation: 'GET /health',
    startTime: T0 + 30_000,
    duration: 1.27,
    spanCount: 1,
    services: ['frontend'],
    status: 'ok',
    errorCount: 0,
    complete: false,
  },
  {
    traceId: CHECKOUT_TRACE,
    rootService: 'frontend',
    rootOperation: 'GET /checkout',
    startTime: T0,
    duration: 184.6,
    spanCount: spans.length,
    services: checkoutTrace.services,
    status: 'error',
    errorCount: 1,
    complete: true,
  },
  {
    traceId: 'b2'.repeat(16),
    rootService: 'catalog',
    rootOperation: 'GET /products',
    startTime: T0 - 5_000,
    duration: 48.2,
    spanCount: 4,
    services: ['catalog', 'search'],
    status: 'ok',
    errorCount: 0,
    complete: true,
  },
];

// ---------------------------------------------------------------------------------------------
// Fixture server: the built UI through serveUi, and the API routes the UI reads.

interface Fixture {
  url: string;
  queries: URLSearchParams[];
  close(): Promise<void>;
}

async function startFixtureServer(): Promise<Fixture> {
  const serveUi = createUiServer(UI_DIR);
  const queries: URLSearchParams[] = [];
  let liveFetches = 0;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fixture');
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    const asset = serveUi(url.pathname);
    if (asset) {
      res.writeHead(asset.status, asset.headers);
      res.end(asset.body);
      return;
    }
    if (url.pathname === '/traces/query') {
      queries.push(url.searchParams);
      const service = url.searchParams.get('serviceName');
      const status = url.searchParams.get('status');
      const min = Number(url.searchParams.get('minDuration') ?? 0);
      const traces = summaries.filter(
        (t) =>
          (!service || t.services.includes(service)) &&
          (!status || t.status === status) &&
          t.duration >= min,
      );
      return json(200, { traces });
    }
    const trace = /^\/traces\/([0-9a-f]{32})(\/analyze)?$/.exec(url.pathname);
    if (trace?.[1] === CHECKOUT_TRACE) {
      return json(200, trace[2] ? checkoutAnalysis : checkoutTrace);
    }
    if (trace?.[1] === LIVE_TRACE) {
      if (trace[2]) return json(500, { error: 'analysis failed' });
      liveFetches++;
      return json(200, liveTrace(liveFetches === 1 ? [liveRoot] : [liveRoot, liveChild]));
    }
    return json(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    queries,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// ---------------------------------------------------------------------------------------------

describe('waterfall view in Chromium', () => {
  let fixture: Fixture;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(`${UI_DIR}index.html`) || !existsSync(`${UI_DIR}app.js`)) {
      throw new Error(
        `The waterfall view is not built (${UI_DIR} is missing): run \`npm run build\` first.`,
      );
    }
    if (!existsSync(CHROMIUM))
      throw new Error(`No Chromium at ${CHROMIUM} (apt-get install chromium).`);
    fixture = await startFixtureServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      colorScheme: 'light',
      timezoneId: 'UTC',
    });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') {
        pageErrors.push(`console.${message.type()}: ${message.text()}`);
      }
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await fixture?.close();
  });

  it('lists the traces, newest first, with service, operation, duration, spans and status', async () => {
    await page.goto(`${fixture.url}/`);
    const rows = page.locator('table.traces tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    const texts = await rows.allInnerTexts();
    expect(texts[0]).toContain('GET /health');
    expect(texts[1]).toMatch(/frontend[\s\S]*GET \/checkout[\s\S]*185 ms[\s\S]*9[\s\S]*error/);
    expect(texts[2]).toContain('GET /products');
    expect(fixture.queries.at(-1)?.get('limit')).toBe('100');
  });

  it('maps the filters to query parameters and keeps them in the URL', async () => {
    await page.getByLabel('Status').selectOption('error');
    await page.getByLabel('Min duration (ms)').fill('100');
    await page.getByLabel('Service').fill('payments');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.locator('table.traces tbody tr').count()).toBe(1);
    const query = fixture.queries.at(-1)!;
    expect(query.get('serviceName')).toBe('payments');
    expect(query.get('status')).toBe('error');
    expect(query.get('minDuration')).toBe('100');
    expect(new URL(page.url()).hash).toBe('#/?service=payments&status=error&minDuration=100');

    await page.getByRole('link', { name: 'Clear' }).click();
    await expect.poll(() => page.locator('table.traces tbody tr').count()).toBe(3);
  });

  it('opens the waterfall on click, with the critical path highlighted', async () => {
    await page.getByRole('link', { name: 'GET /checkout' }).click();
    await page.waitForSelector('.wf-row');
    expect(new URL(page.url()).hash).toBe(`#/trace/${CHECKOUT_TRACE}`);
    await expect.poll(() => page.locator('.wf-row').count()).toBe(spans.length);

    // Depth-first order, children by start time, indented by depth.
    const order = await page
      .locator('.wf-row')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-span-id')));
    expect(order).toEqual(
      [root, auth, cartClient, cartServer, cartQuery, stock, charge, fraud, receipt].map(
        (s) => s.spanId,
      ),
    );
    const indent = (id: string) =>
      page
        .locator(`.wf-row[data-span-id="${id}"] .wf-name`)
        .evaluate((el) => getComputedStyle(el).paddingLeft);
    expect(await indent(root.spanId)).toBe('24px');
    expect(await indent(fraud.spanId)).toBe('88px');

    // Bars placed by offset and duration relative to the trace.
    const bar = (id: string) =>
      page.locator(`.wf-row[data-span-id="${id}"] .wf-bar`).evaluate((el) => ({
        left: (el as HTMLElement).style.left,
        width: (el as HTMLElement).style.width,
        color: getComputedStyle(el).backgroundColor,
      }));
    expect(await bar(root.spanId)).toMatchObject({ left: '0%', width: '100%' });
    const charged = await bar(charge.spanId);
    expect(Number.parseFloat(charged.left)).toBeCloseTo((74.8 / 184.6) * 100, 3);
    expect(Number.parseFloat(charged.width)).toBeCloseTo((101.9 / 184.6) * 100, 3);
    // One colour per service.
    expect((await bar(fraud.spanId)).color).toBe(charged.color);
    expect((await bar(cartServer.spanId)).color).not.toBe(charged.color);

    // Exactly the critical spans carry the class and a visible marker.
    const critical = await page
      .locator('.wf-row.critical')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-span-id')));
    expect(critical.sort()).toEqual(CRITICAL.map((s) => s.spanId).sort());
    expect(await page.locator('.wf-row.critical .crit-marker').count()).toBe(CRITICAL.length);
    expect(await page.locator('.wf-row:not(.critical) .crit-marker').count()).toBe(0);
    await expect
      .poll(() => page.locator('.wf-row.critical .crit-marker').first().isVisible())
      .toBe(true);
    const ring = await page
      .locator(`.wf-row[data-span-id="${fraud.spanId}"] .wf-bar`)
      .evaluate((el) => getComputedStyle(el).boxShadow);
    expect(ring).not.toBe('none');
    const steps = await page.locator('.critical-path li').allInnerTexts();
    expect(steps.map((s) => s.split('\n')[0].trim())).toEqual(CRITICAL.map((s) => s.operation));

    // Durations are labelled.
    await expect
      .poll(() => page.locator(`.wf-row[data-span-id="${fraud.spanId}"] .wf-label`).textContent())
      .toBe('93.7 ms');
  });

  it('shows a span’s details on click, and keeps the selection in the URL', async () => {
    const row = page.locator(`.wf-row[data-span-id="${stock.spanId}"]`);
    await row.click();
    expect(await row.getAttribute('aria-pressed')).toBe('true');
    const details = page.locator('.details');
    await expect.poll(() => details.isVisible()).toBe(true);
    const text = await details.textContent();
    for (const expected of [
      'GET /stock/:sku',
      'inventory',
      'server',
      'error: sku 1042 not found',
      '34.5 ms',
      'exception',
      'NotFoundError',
      stock.spanId,
      cartServer.spanId,
      CHECKOUT_TRACE,
    ]) {
      expect(text).toContain(expected);
    }
    expect(new URL(page.url()).hash).toBe(`#/trace/${CHECKOUT_TRACE}?span=${stock.spanId}`);

    // The link reopens the same span.
    await page.reload();
    await page.waitForSelector('.details');
    expect(await page.locator('.wf-row.selected').getAttribute('data-span-id')).toBe(stock.spanId);
  });

  it('shows app-supplied text as text', async () => {
    await page.locator(`.wf-row[data-span-id="${receipt.spanId}"]`).click();
    await page.waitForSelector('.details');
    expect(await page.locator('#app img').count()).toBe(0);
    expect(
      await page.locator(`.wf-row[data-span-id="${receipt.spanId}"] .wf-op`).textContent(),
    ).toBe(HOSTILE);
    expect(await page.locator('.details .attrs th').first().textContent()).toBe(HOSTILE);
    expect(await page.title()).not.toBe('pwned');
  });

  it('saves a screenshot of the trace page', async () => {
    await page.locator(`.wf-row[data-span-id="${fraud.spanId}"]`).click();
    await page.waitForSelector('.details');
    await page.mouse.move(0, 0);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}waterfall.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${ARTIFACTS}waterfall-dark.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${fixture.url}/#/`);
    await page.waitForSelector('table.traces tbody tr');
    await page.screenshot({ path: `${ARTIFACTS}trace-list.png` });
    expect(existsSync(`${ARTIFACTS}waterfall.png`)).toBe(true);
  });

  it('fetches a trace that is still receiving spans again, and draws it without an analysis', async () => {
    await page.goto(`${fixture.url}/#/trace/${LIVE_TRACE}`);
    await page.waitForSelector('.wf-row');
    expect(await page.locator('.title-row .badge.pending').count()).toBe(1);
    expect(await page.locator('.notice').textContent()).toContain(
      'analysis of this trace is not available',
    );
    await expect.poll(() => page.locator('.wf-row').count(), { timeout: 10_000 }).toBe(2);
    expect(await page.locator('.title-row .badge.pending').count()).toBe(0);
  });

  it('says so when a trace is unknown, and logs nothing in the page', async () => {
    await page.goto(`${fixture.url}/#/trace/${'c3'.repeat(16)}`);
    await page.waitForSelector('[role="alert"]');
    expect(await page.locator('h1').textContent()).toBe('Trace not found');
    // Chromium itself logs every 4xx/5xx fetch (the 404s here, the live trace's failed analysis);
    // nothing else may reach the console.
    const unexpected = pageErrors.filter(
      (line) =>
        !/Failed to load resource: the server responded with a status of (404|500)/.test(line),
    );
    expect(unexpected).toEqual([]);
  });
});
