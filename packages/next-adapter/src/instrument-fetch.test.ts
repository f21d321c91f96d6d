import { context, DiagLogLevel, diag, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { suppressTracing } from '@spanlite/core';
import { afterEach, describe, expect, it } from 'vitest';
import { setupTracing, type TestTracing } from '../test/setup-tracing';
import { withTracing } from './with-tracing';

let setup: TestTracing | undefined;
afterEach(async () => {
  await setup?.teardown();
  setup = undefined;
});

const incoming = () => new Request('http://app.test/api/outbound');

describe('outbound fetch', () => {
  it('propagates to the app origin only, by default, with a client span per call', async () => {
    setup = setupTracing();
    const handler = withTracing(async () => {
      await fetch('http://app.test/api/items');
      await fetch('https://third-party.example/track', { method: 'POST', body: 'x' });
      return new Response('ok');
    });
    await handler(incoming());
    const [own, third] = setup.calls;
    expect(own!.headers.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[13]$/);
    expect(third!.headers.has('traceparent')).toBe(false);
    const spans = await setup.spans();
    const clients = spans.filter((s) => s.kind === SpanKind.CLIENT);
    expect(clients.map((s) => s.name)).toEqual(['GET', 'POST']);
    const server = spans.find((s) => s.kind === SpanKind.SERVER)!;
    for (const client of clients) {
      expect(client.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    }
    expect(own!.headers.get('traceparent')).toContain(clients[0]!.spanContext().spanId);
    expect(clients[0]!.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.full': 'http://app.test/api/items',
      'server.address': 'app.test',
      'server.port': 80,
      'http.response.status_code': 200,
    });
  });

  it("keeps a signed URL's signature out of url.full, and sends the URL as it was", async () => {
    setup = setupTracing();
    const signed =
      'https://bucket.s3.amazonaws.com/a.png?AWSAccessKeyId=AKIA&Expires=1700000000&Signature=s3cr3t';
    const handler = withTracing(async () => {
      await fetch(signed);
      return new Response('ok');
    });
    await handler(incoming());
    expect(setup.calls[0]!.url).toBe(signed);
    const client = (await setup.spans()).find((s) => s.kind === SpanKind.CLIENT)!;
    expect(client.attributes['url.full']).toBe(
      'https://bucket.s3.amazonaws.com/a.png?AWSAccessKeyId=REDACTED&Expires=1700000000&Signature=REDACTED',
    );
  });

  it("scrubs the signature from Next.js's own fetch span name and http.url too", async () => {
    setup = setupTracing();
    const signed = 'https://acct.blob.core.windows.net/c/a.png?sv=2022-11-02&sig=s3cr3t';
    const tracer = trace.getTracer('next.js');
    const handler = withTracing(async () => {
      // what Next.js's patched fetch does around the call it makes
      await tracer.startActiveSpan(
        `fetch GET ${signed}`,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            'http.url': signed,
            'http.method': 'GET',
            'next.span_name': `fetch GET ${signed}`,
          },
        },
        async (nextSpan) => {
          await fetch(signed);
          nextSpan.end();
        },
      );
      return new Response('ok');
    });
    await handler(incoming());
    const clients = (await setup.spans()).filter((s) => s.kind === SpanKind.CLIENT);
    expect(clients).toHaveLength(1);
    const redacted = 'https://acct.blob.core.windows.net/c/a.png?sv=2022-11-02&sig=REDACTED';
    expect(clients[0]!.name).toBe('GET');
    expect(clients[0]!.attributes).toMatchObject({
      'http.url': redacted,
      'url.full': redacted,
      'next.span_name': `fetch GET ${redacted}`,
    });
    expect(JSON.stringify(clients[0]!.attributes)).not.toContain('s3cr3t');
  });

  it('propagates, by default, also to the origin the client asked for (its Host header)', async () => {
    setup = setupTracing();
    const handler = withTracing(async () => {
      await fetch('http://127.0.0.1:3000/api/items');
      await fetch('http://localhost:3000/api/items');
      await fetch('http://127.0.0.1:4000/other-port');
      return new Response('ok');
    });
    // Next.js's request.url names localhost; the client asked for 127.0.0.1:3000
    await handler(
      new Request('http://localhost:3000/api/outbound', { headers: { host: '127.0.0.1:3000' } }),
    );
    expect(setup.calls.map((c) => c.headers.has('traceparent'))).toEqual([true, true, false]);
  });

  it("propagates, by default on Vercel, also to the deployment's own URLs", async () => {
    const carried = async (env: Record<string, string>) => {
      setup = setupTracing({ env });
      const handler = withTracing(async () => {
        await fetch('https://shop-git-main-team.vercel.app/api/items');
        await fetch('https://shop-abc123-team.vercel.app/api/items');
        await fetch('https://shop.vercel.app/api/items');
        await fetch('https://other.vercel.app/api/items');
        return new Response('ok');
      });
      // reached at its custom domain
      await handler(new Request('https://shop.example.com/api/outbound'));
      const sent = setup.calls.map((c) => c.headers.has('traceparent'));
      await setup.teardown();
      setup = undefined;
      return sent;
    };
    const vercel = {
      VERCEL_URL: 'shop-abc123-team.vercel.app',
      VERCEL_BRANCH_URL: 'shop-git-main-team.vercel.app',
      VERCEL_PROJECT_PRODUCTION_URL: 'shop.vercel.app',
    };
    const production = { VERCEL: '1', VERCEL_ENV: 'production', ...vercel };
    expect(await carried(production)).toEqual([true, true, true, false]);
    // a preview's calls to the production domain go to another deployment
    expect(await carried({ ...production, VERCEL_ENV: 'preview' })).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(await carried(vercel)).toEqual([false, false, false, false]);
  });

  it('obeys a configured allow-list of origins, hosts and patterns', async () => {
    setup = setupTracing({
      propagateTo: ['https://api.example.com', '*.internal', /^http:\/\/10\.0\.0\.\d+\//],
    });
    const handler = withTracing(async () => {
      for (const url of [
        'https://api.example.com/v1',
        'http://orders.internal/x',
        'http://10.0.0.7/y',
        'http://app.test/self',
        'https://api.example.com.evil.test/',
      ]) {
        await fetch(new Request(url));
      }
      return new Response('ok');
    });
    await handler(incoming());
    expect(setup.calls.map((c) => c.headers.has('traceparent'))).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it("matches a URL entry's path and the paths below it, https://*. subdomains, and '*' everything", async () => {
    const sent = async (propagateTo: (string | RegExp)[], urls: string[]) => {
      setup = setupTracing({ propagateTo });
      for (const url of urls) await fetch(url);
      const carried = setup.calls.map((c) => c.headers.has('traceparent'));
      await setup.teardown();
      setup = undefined;
      return carried;
    };
    const urls = [
      'https://api.example.com/v1',
      'https://API.example.com:443/v1/users?page=2',
      'https://api.example.com/v10',
      'https://api.example.com/',
      'https://a.example.org/x',
      'http://a.example.org/x',
      'https://example.org/',
    ];
    expect(await sent(['https://api.example.com/v1/', 'https://*.example.org'], urls)).toEqual([
      true,
      true,
      false,
      false,
      true,
      false,
      false,
    ]);
    expect(await sent(['*'], urls)).toEqual(urls.map(() => true));
    // a host entry: any scheme, and any port unless it names one
    const hosts = [
      'http://a.internal:8080/',
      'https://a.internal/',
      'http://a.internal:9090/',
      'http://b.test:8080/',
    ];
    expect(await sent(['*.internal:8080'], hosts)).toEqual([true, false, false, false]);
    expect(await sent(['*.internal'], hosts)).toEqual([true, true, true, false]);
  });

  it('reports through diag the entries that can match no URL, skips them and keeps the others', async () => {
    const warnings: string[] = [];
    const record = (message: string) => warnings.push(message);
    const ignore = () => {};
    diag.setLogger(
      { error: record, warn: record, info: ignore, debug: ignore, verbose: ignore },
      DiagLogLevel.WARN,
    );
    try {
      const never = [
        'http://',
        'api.example.com/v1',
        '::1',
        'https:api.example.com',
        '*example.com',
        'https://api.example.com/*',
        'https://*example.com',
        'https://api.*.example.com',
        'ftp://files.example.com',
        'https://api.example.com/v1?key=1',
        'https://user@api.example.com',
        '',
      ];
      setup = setupTracing({ propagateTo: [...never, 42n, 'ok.test'] as string[] });
      await fetch('http://ok.test/');
      await fetch('https://api.example.com/v1');
      expect(setup.calls.map((c) => c.headers.has('traceparent'))).toEqual([true, false]);
      expect(warnings).toEqual([
        ...never.map(
          (entry) =>
            `@spanlite/next: propagateTo entry ${JSON.stringify(entry)} matches no URL; skipped`,
        ),
        '@spanlite/next: propagateTo entry of type bigint matches no URL; skipped',
      ]);
      await setup.teardown();
      // one string rather than a list: read as a list of it
      setup = setupTracing({ propagateTo: 'https://ok.test' as unknown as string[] });
      await fetch('https://ok.test/a');
      await fetch('https://o.test/');
      expect(setup.calls.map((c) => c.headers.has('traceparent'))).toEqual([true, false]);
      await setup.teardown();
      // neither a list, a string nor a function: reported, and no destination allowed, not even
      // the request's own origin, which the default allows
      warnings.length = 0;
      setup = setupTracing({ propagateTo: { origin: 'http://app.test' } as unknown as string[] });
      await withTracing(async () => {
        await fetch('http://app.test/api/items');
        return new Response('ok');
      })(incoming());
      expect(setup.calls.map((c) => c.headers.has('traceparent'))).toEqual([false]);
      expect(warnings).toEqual([
        '@spanlite/next: propagateTo entry of type object matches no URL; skipped',
      ]);
    } finally {
      diag.disable();
    }
  });

  it('obeys a predicate, and a throwing predicate means no', async () => {
    setup = setupTracing({
      propagateTo: (url) => {
        if (url.hostname === 'bad.test') throw new Error('predicate bug');
        return url.hostname === 'ok.test';
      },
    });
    await fetch('http://ok.test/');
    await fetch('http://bad.test/');
    expect(setup.calls.map((c) => c.headers.has('traceparent'))).toEqual([true, false]);
  });

  it("never traces or propagates the exporter's own calls", async () => {
    setup = setupTracing({ propagateTo: () => true });
    await context.with(suppressTracing(context.active()), () => fetch('http://collector/v1'));
    await fetch('http://collector/v1', { next: { internal: true } } as RequestInit);
    expect(setup.calls.every((c) => !c.headers.has('traceparent'))).toBe(true);
    expect(await setup.spans()).toEqual([]);
  });

  it('returns the response and rethrows network errors unchanged', async () => {
    const error = new TypeError('fetch failed');
    setup = setupTracing({}, (url) => {
      if (url.includes('down')) throw error;
      return new Response('fine', { status: 404 });
    });
    const response = await fetch('http://up.test/');
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('fine');
    await expect(fetch('http://down.test/')).rejects.toBe(error);
    const spans = await setup.spans();
    expect(spans.map((s) => s.status.code)).toEqual([SpanStatusCode.ERROR, SpanStatusCode.ERROR]);
  });

  it('keeps credentials and signed-URL secrets a failure quotes out of the span, not out of the error', async () => {
    setup = setupTracing();
    // Fetch refuses a URL with credentials, quoting it (undici: "Request cannot be constructed
    // from a URL that includes credentials: …")
    const given = 'http://user:pa55@api.test/p?sig=s3cr3t';
    const error = (await fetch(given).catch((thrown: unknown) => thrown)) as TypeError;
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toContain('pa55');
    const [span] = await setup.spans();
    const full = 'http://REDACTED:REDACTED@api.test/p?sig=REDACTED';
    expect(span!.attributes['url.full']).toBe(full);
    expect(span!.status.message).toBe(error.message.replace(new URL(given).href, full));
    expect(span!.events[0]!.attributes).toMatchObject({ 'exception.type': 'TypeError' });
    expect(span!.events[0]!.attributes?.['exception.stacktrace']).toContain(full);
    expect(JSON.stringify(span)).not.toMatch(/pa55|s3cr3t/);
  });

  it('keeps the local segment when the downstream traceresponse says it kept the trace', async () => {
    setup = setupTracing(
      { sampler: 'parentbased_traceidratio', ratio: 0, errors: 'always' },
      (_url, headers) => {
        const traceId = headers.get('traceparent')!.slice(3, 35);
        return new Response('ok', {
          headers: { traceresponse: `00-${traceId}-00f067aa0ba902b7-01` },
        });
      },
    );
    const keeps = withTracing(async () => {
      await fetch('http://app.test/downstream-kept');
      return new Response('ok');
    });
    const response = await keeps(incoming());
    expect(response.headers.get('traceresponse')).toMatch(/-03$/);
    const spans = await setup.spans();
    expect(spans.map((s) => s.kind).sort()).toEqual([SpanKind.SERVER, SpanKind.CLIENT].sort());
  });

  it('tells the caller it kept the trace when a downstream call failed, though the answer is 200 (ratio 0, error-always)', async () => {
    // the downstream answers 500 without a traceresponse (it threw, or runs another SDK): the
    // client span's ERROR keeps this segment before the route answers
    setup = setupTracing(
      { sampler: 'parentbased_traceidratio', ratio: 0, errors: 'always' },
      () => new Response('down', { status: 500 }),
    );
    const handler = withTracing(async () => {
      await fetch('http://app.test/downstream-failing');
      return new Response('recovered');
    });
    const response = await handler(incoming());
    expect(response.status).toBe(200);
    expect(response.headers.get('traceresponse')).toMatch(/-03$/);
    expect(response.headers.get('server-timing')).toMatch(/-03"$/);
    const spans = await setup.spans();
    expect(spans.map((s) => s.kind).sort()).toEqual([SpanKind.SERVER, SpanKind.CLIENT].sort());
  });

  it('drops the segment when downstream did not keep it (ratio 0, error-always)', async () => {
    setup = setupTracing({ sampler: 'parentbased_traceidratio', ratio: 0, errors: 'always' });
    const handler = withTracing(async () => {
      await fetch('http://app.test/downstream');
      return new Response('ok');
    });
    await handler(incoming());
    expect(await setup.spans()).toEqual([]);
  });
});
