/**
 * The waterfall view in headless Chromium against the real collector: traces are sent as OTLP/JSON
 * to `POST /v1/traces`; the list shows them, a click opens the waterfall, the critical path the
 * analysis finds is highlighted, a span's details open on click, app-supplied text stays text, and
 * a trace still receiving spans is redrawn as they arrive. Screenshots are kept in test-artifacts/.
 *
 * Needs the built UI (dist/ui/): `npm run build` first (the root `npm test` does).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../src/server';
import type { TraceSummary } from '../src/ui/api-types';

const UI_DIR = fileURLToPath(new URL('../dist/ui/', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
/** Long enough to open a trace while it is still live; the setup waits this out for the others. */
const IDLE_MS = 6000;

// ---------------------------------------------------------------------------------------------
// The traces, as specs turned into OTLP/JSON. The checkout request goes through five services; its
// critical path takes every span but the receipt, which runs alongside the charge: GET /checkout,
// its auth step, POST /api/cart (client, then server), and the server's sequential steps, the
// charge's fraud-check among them.

type Value = string | number | boolean | Value[];

interface SpanSpec {
  traceId: string;
  spanId: string;
  parent?: SpanSpec;
  service: string;
  name: string;
  /** OTLP kind: 1 internal, 2 server, 3 client, 4 producer. */
  kind: number;
  /** ms from T0. */
  start: number;
  duration: number;
  error?: string;
  attributes?: Record<string, Value>;
  events?: { at: number; name: string; attributes: Record<string, Value> }[];
  /** OTLP span flags (0x301: sampled, parent remote). */
  flags?: number;
  dropped?: { attributes: number; events: number; links: number };
}

const T0 = Math.floor(Date.now()) - 42_000;
const CHECKOUT = '4bf92f3577b34da6a3ce929d0e0e4736';
const PRODUCTS = 'b2'.repeat(16);
const HEALTH = 'a1'.repeat(16);
const LIVE = 'd4'.repeat(16);
const HOSTILE = '<img src=x onerror="document.title=\'pwned\'">';

let nextId = 1;
function span(traceId: string, spec: Omit<SpanSpec, 'traceId' | 'spanId'>): SpanSpec {
  return { traceId, spanId: (nextId++).toString(16).padStart(16, 'a'), ...spec };
}

const root = span(CHECKOUT, {
  service: 'frontend',
  name: 'GET /checkout',
  kind: 2,
  start: 0,
  duration: 184.6,
  attributes: {
    'http.request.method': 'GET',
    'http.route': '/checkout',
    'http.response.status_code': 200,
  },
});
const auth = span(CHECKOUT, {
  parent: root,
  service: 'frontend',
  name: 'auth.verifySession',
  kind: 1,
  start: 2.1,
  duration: 7.8,
});
const cartClient = span(CHECKOUT, {
  parent: root,
  service: 'frontend',
  name: 'POST /api/cart',
  kind: 3,
  start: 11.4,
  duration: 170.2,
});
const cartServer = span(CHECKOUT, {
  parent: cartClient,
  service: 'checkout',
  name: 'POST /api/cart',
  kind: 2,
  start: 13,
  duration: 166.1,
  attributes: { 'http.route': '/api/cart', 'cart.items': 3, 'user.tier': 'gold' },
});
const cartQuery = span(CHECKOUT, {
  parent: cartServer,
  service: 'checkout',
  name: 'SELECT cart_items',
  kind: 3,
  start: 15.2,
  duration: 21.4,
  attributes: {
    'db.system': 'postgresql',
    'db.query.text': 'SELECT * FROM cart_items WHERE cart_id = $1',
  },
});
const stock = span(CHECKOUT, {
  parent: cartServer,
  service: 'inventory',
  name: 'GET /stock/:sku',
  kind: 2,
  start: 38,
  duration: 34.5,
  error: 'sku 1042 not found',
  events: [
    {
      at: 70.3,
      name: 'exception',
      attributes: { 'exception.type': 'NotFoundError', 'exception.message': 'sku 1042 not found' },
    },
  ],
});
const charge = span(CHECKOUT, {
  parent: cartServer,
  service: 'payments',
  name: 'POST /charge',
  kind: 2,
  start: 74.8,
  duration: 101.9,
  attributes: { 'payment.provider': 'stripe', amount: 129.9 },
});
const fraud = span(CHECKOUT, {
  parent: charge,
  service: 'payments',
  name: 'fraud-check',
  kind: 1,
  start: 80.1,
  duration: 93.7,
  attributes: { 'fraud.score': 0.12, 'fraud.rules': ['velocity', 'geo'] },
  events: [{ at: 120, name: 'rules.loaded', attributes: { count: 42 } }],
});
const receipt = span(CHECKOUT, {
  parent: cartServer,
  service: 'email',
  name: HOSTILE,
  kind: 4,
  start: 76,
  duration: 12.3,
  attributes: { [HOSTILE]: HOSTILE },
});
const checkoutSpans = [
  root,
  auth,
  cartClient,
  cartServer,
  cartQuery,
  stock,
  charge,
  receipt,
  fraud,
];
const CRITICAL = [root, auth, cartClient, cartServer, cartQuery, stock, charge, fraud];

const productsRoot = span(PRODUCTS, {
  service: 'catalog',
  name: 'GET /products',
  kind: 2,
  start: -5000,
  duration: 48.2,
});
const productsSpans = [
  productsRoot,
  span(PRODUCTS, {
    parent: productsRoot,
    service: 'catalog',
    name: 'load filters',
    kind: 1,
    start: -4998,
    duration: 3.1,
  }),
  span(PRODUCTS, {
    parent: productsRoot,
    service: 'search',
    name: 'POST /search',
    kind: 2,
    start: -4994,
    duration: 40.5,
  }),
];
const healthSpans = [
  span(HEALTH, {
    service: 'frontend',
    name: 'GET /health',
    kind: 2,
    start: 30_000,
    duration: 1.27,
  }),
];
// A request that came in with a traceparent from a browser whose spans are not sent here: rooted at
// its server span; the sender's span limits cut its child's attributes, events and a link.
const REMOTE = 'e5'.repeat(16);
const browserSpan = span(REMOTE, {
  service: 'browser',
  name: 'click',
  kind: 1,
  start: 39_000,
  duration: 20,
});
const embed = span(REMOTE, {
  parent: browserSpan,
  service: 'frontend',
  name: 'GET /embed',
  kind: 2,
  start: 39_001,
  duration: 12,
  flags: 0x301,
});
const limited = span(REMOTE, {
  parent: embed,
  service: 'frontend',
  name: 'render widgets',
  kind: 1,
  start: 39_002,
  duration: 8,
  flags: 0x101,
  attributes: { 'widget.count': 140 },
  dropped: { attributes: 12, events: 2, links: 1 },
});

const liveRoot = span(LIVE, {
  service: 'frontend',
  name: 'GET /live',
  kind: 2,
  start: 35_000,
  duration: 5,
});
const liveChild = span(LIVE, {
  parent: liveRoot,
  service: 'frontend',
  name: 'render',
  kind: 1,
  start: 35_001,
  duration: 3,
});

const nanos = (ms: number): string =>
  (BigInt(T0) * 1_000_000n + BigInt(Math.round(ms * 1e6))).toString();

function anyValue(value: Value): Record<string, unknown> {
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
}

const keyValues = (attributes: Record<string, Value> = {}) =>
  Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(value) }));

/** An ExportTraceServiceRequest in OTLP/JSON, one resource per service. */
function otlpJson(spans: SpanSpec[]): unknown {
  const services = [...new Set(spans.map((s) => s.service))];
  return {
    resourceSpans: services.map((service) => ({
      resource: { attributes: keyValues({ 'service.name': service }) },
      scopeSpans: [
        {
          scope: { name: '@spanlite/core', version: '0.1.0' },
          spans: spans
            .filter((s) => s.service === service)
            .map((s) => ({
              traceId: s.traceId,
              spanId: s.spanId,
              ...(s.parent ? { parentSpanId: s.parent.spanId } : {}),
              name: s.name,
              kind: s.kind,
              startTimeUnixNano: nanos(s.start),
              endTimeUnixNano: nanos(s.start + s.duration),
              attributes: keyValues(s.attributes),
              events: (s.events ?? []).map((e) => ({
                timeUnixNano: nanos(e.at),
                name: e.name,
                attributes: keyValues(e.attributes),
              })),
              status: s.error ? { code: 2, message: s.error } : { code: 0 },
              ...(s.flags ? { flags: s.flags } : {}),
              ...(s.dropped
                ? {
                    droppedAttributesCount: s.dropped.attributes,
                    droppedEventsCount: s.dropped.events,
                    droppedLinksCount: s.dropped.links,
                  }
                : {}),
            })),
        },
      ],
    })),
  };
}

async function send(url: string, spans: SpanSpec[]): Promise<void> {
  const response = await fetch(`${url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(otlpJson(spans)),
  });
  const body = (await response.json()) as { partialSuccess?: { rejectedSpans?: string | number } };
  if (response.status !== 200 || Number(body.partialSuccess?.rejectedSpans ?? 0) !== 0) {
    throw new Error(`POST /v1/traces: ${response.status} ${JSON.stringify(body)}`);
  }
}

async function query(url: string): Promise<TraceSummary[]> {
  const response = await fetch(`${url}/traces/query`);
  return ((await response.json()) as { traces: TraceSummary[] }).traces;
}

// ---------------------------------------------------------------------------------------------

describe('waterfall view in Chromium', () => {
  let server: DevServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const rowIds = () =>
    page
      .locator('.wf-row')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-span-id')));

  beforeAll(async () => {
    if (!existsSync(`${UI_DIR}index.html`) || !existsSync(`${UI_DIR}app.js`)) {
      throw new Error(
        `The waterfall view is not built (${UI_DIR} is missing): run \`npm run build\` first.`,
      );
    }
    if (!existsSync(CHROMIUM)) {
      throw new Error(`No Chromium at ${CHROMIUM} (apt-get install chromium).`);
    }
    server = await startDevServer({ port: 0, host: '127.0.0.1', uiDir: UI_DIR, idleMs: IDLE_MS });
    await send(server.url, checkoutSpans);
    await send(server.url, [...productsSpans, ...healthSpans]);
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
    // The traces complete once idle: wait, so the page shows them settled.
    const deadline = Date.now() + IDLE_MS + 10_000;
    while ((await query(server.url)).filter((t) => t.complete).length < 3) {
      if (Date.now() > deadline) throw new Error('the ingested traces did not complete');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists the traces, newest first, with service, operation, duration, spans and status', async () => {
    await page.goto(`${server.url}/`);
    const rows = page.locator('table.traces tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    const texts = await rows.allInnerTexts();
    expect(texts[0]).toContain('GET /health');
    expect(texts[1]).toMatch(/frontend[\s\S]*GET \/checkout[\s\S]*185 ms[\s\S]*9[\s\S]*error/);
    expect(texts[2]).toMatch(/catalog[\s\S]*GET \/products[\s\S]*48\.2 ms[\s\S]*3[\s\S]*ok/);
  });

  it('maps the filters to query parameters and keeps them in the URL', async () => {
    const queried: URL[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/traces/query')) queried.push(new URL(request.url()));
    });
    await page.getByLabel('Status').selectOption('error');
    await page.getByLabel('Min duration (ms)').fill('100');
    await page.getByLabel('Service').fill('payments');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(() => new URL(page.url()).hash)
      .toBe('#/?service=payments&status=error&minDuration=100');
    await expect.poll(() => page.locator('table.traces tbody tr').count()).toBe(1);
    expect(await page.locator('table.traces tbody tr').textContent()).toContain('GET /checkout');
    const params = queried.at(-1)!.searchParams;
    expect(params.get('serviceName')).toBe('payments');
    expect(params.get('status')).toBe('error');
    expect(params.get('minDuration')).toBe('100');

    await page.getByLabel('Min duration (ms)').fill('500');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(() => page.locator('.results').textContent())
      .toContain('No traces match these filters.');

    await page.getByRole('link', { name: 'Clear' }).click();
    await expect.poll(() => page.locator('table.traces tbody tr').count()).toBe(3);
  });

  it('opens the waterfall on click, with the critical path highlighted', async () => {
    await page.getByRole('link', { name: 'GET /checkout' }).click();
    await page.waitForSelector('.wf-row');
    expect(new URL(page.url()).hash).toBe(`#/trace/${CHECKOUT}`);

    // Depth-first order, children by start time, indented by depth.
    await expect
      .poll(rowIds)
      .toEqual(
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
        left: Number.parseFloat((el as HTMLElement).style.left),
        width: Number.parseFloat((el as HTMLElement).style.width),
        color: getComputedStyle(el).backgroundColor,
      }));
    const whole = await bar(root.spanId);
    expect(whole.left).toBeCloseTo(0, 3);
    expect(whole.width).toBeCloseTo(100, 3);
    const charged = await bar(charge.spanId);
    expect(charged.left).toBeCloseTo((74.8 / 184.6) * 100, 3);
    expect(charged.width).toBeCloseTo((101.9 / 184.6) * 100, 3);
    // One colour per service.
    expect((await bar(fraud.spanId)).color).toBe(charged.color);
    expect((await bar(cartServer.spanId)).color).not.toBe(charged.color);

    // Exactly the spans of the analysis's critical path carry the class and a visible marker.
    const critical = await page
      .locator('.wf-row.critical')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-span-id')));
    expect(critical).toEqual(CRITICAL.map((s) => s.spanId));
    expect(await page.locator('.wf-row.critical .crit-marker').count()).toBe(CRITICAL.length);
    expect(await page.locator('.wf-row:not(.critical) .crit-marker').count()).toBe(0);
    expect(await page.locator('.wf-row.critical .crit-marker').first().isVisible()).toBe(true);
    const ring = await page
      .locator(`.wf-row[data-span-id="${fraud.spanId}"] .wf-bar`)
      .evaluate((el) => getComputedStyle(el).boxShadow);
    expect(ring).not.toBe('none');
    const steps = await page.locator('.critical-path li').allInnerTexts();
    expect(steps.map((s) => s.split('\n')[0].trim())).toEqual(CRITICAL.map((s) => s.name));

    // Durations are labelled.
    expect(
      await page.locator(`.wf-row[data-span-id="${fraud.spanId}"] .wf-label`).textContent(),
    ).toBe('93.7 ms');
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
      CHECKOUT,
      '@spanlite/core 0.1.0',
    ]) {
      expect(text).toContain(expected);
    }
    expect(new URL(page.url()).hash).toBe(`#/trace/${CHECKOUT}?span=${stock.spanId}`);

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

  it('saves screenshots of the trace page and the list', async () => {
    await page.locator(`.wf-row[data-span-id="${fraud.spanId}"]`).click();
    await page.waitForSelector('.details');
    await page.mouse.move(0, 0);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}waterfall.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${ARTIFACTS}waterfall-dark.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${server.url}/#/`);
    await page.waitForSelector('table.traces tbody tr');
    await page.screenshot({ path: `${ARTIFACTS}trace-list.png` });
    expect(existsSync(`${ARTIFACTS}waterfall.png`)).toBe(true);
  });

  it('marks a trace that continues a remote parent, and says what the sender dropped', async () => {
    await send(server.url, [embed, limited]);
    await page.goto(`${server.url}/#/trace/${REMOTE}`);
    await page.waitForSelector('.wf-row');
    expect(await page.locator('h1').textContent()).toBe('GET /embed');
    expect(await page.locator('.title-row .badge.parent-missing').textContent()).toBe(
      'remote parent',
    );
    await page.locator(`.wf-row[data-span-id="${embed.spanId}"]`).click();
    await page.waitForSelector('.details');
    expect(await page.locator('.details').textContent()).toContain(
      `${browserSpan.spanId} (remote, not received)`,
    );
    expect(await page.locator('.details .dropped').count()).toBe(0);

    await page.locator(`.wf-row[data-span-id="${limited.spanId}"]`).click();
    await expect.poll(() => page.locator('.details h2').textContent()).toBe('render widgets');
    expect(await page.locator('.details .dropped').allTextContents()).toEqual([
      '12 attributes dropped',
      '2 events dropped',
    ]);
    expect(await page.locator('.details').textContent()).toContain('1 link dropped');
    expect(await page.locator('.details').textContent()).toContain(embed.spanId);
  });

  it('redraws a trace that is still receiving spans as they arrive', async () => {
    await send(server.url, [liveRoot]);
    await page.goto(`${server.url}/#/trace/${LIVE}`);
    await page.waitForSelector('.wf-row');
    expect(await page.locator('.title-row .badge.pending').count()).toBe(1);
    await send(server.url, [liveChild]);
    await expect.poll(rowIds, { timeout: 10_000 }).toEqual([liveRoot.spanId, liveChild.spanId]);
    await expect
      .poll(() => page.locator('.title-row .badge.pending').count(), { timeout: IDLE_MS + 10_000 })
      .toBe(0);
  }, 30_000);

  it('says so when a trace is unknown, and logs nothing in the page', async () => {
    await page.goto(`${server.url}/#/trace/${'c3'.repeat(16)}`);
    await page.waitForSelector('[role="alert"]');
    expect(await page.locator('h1').textContent()).toBe('Trace not found');
    // Chromium itself logs the 404 of the unknown trace; nothing else may reach the console.
    const unexpected = pageErrors.filter(
      (line) => !/Failed to load resource: the server responded with a status of 404/.test(line),
    );
    expect(unexpected).toEqual([]);
  });
});
