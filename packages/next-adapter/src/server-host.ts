/** A host and its port as a request header names them: `example.com:8443`, `[::1]`. */
export interface ServerHost {
  /** As `URL.hostname` writes it (IPv6 in brackets). */
  readonly hostname: string;
  /** Empty when the header names none. */
  readonly port: string;
}

/**
 * The host the client asked for, by the HTTP semantic conventions' order for `server.address`
 * and `server.port` ("Setting server.address and server.port attributes"): the original host a
 * reverse proxy passed on (`Forwarded: host=`, then `X-Forwarded-Host`), else `Host` (which
 * undici also fills from HTTP/2's `:authority`). Undefined when none of them names one; the
 * caller then takes the request URL's, which a framework may have built from its own
 * configuration (Next.js writes `localhost` there).
 */
export function serverHost(
  headers: Headers,
  forwarded: string | null = headers.get('forwarded'),
): ServerHost | undefined {
  if (forwarded !== null) {
    const host = forwardedHost(forwarded);
    if (host !== undefined) return host;
  }
  const forwardedHostHeader = headers.get('x-forwarded-host');
  if (forwardedHostHeader !== null) {
    const host = splitHost(firstOfList(forwardedHostHeader));
    if (host !== undefined) return host;
  }
  const host = headers.get('host');
  return host === null ? undefined : splitHost(host.trim());
}

/**
 * `scheme://host[:port]` as `URL.origin` writes it for the names `splitHost` accepts: the scheme's
 * default port left out, leading zeros of a port dropped, an address in its one canonical form.
 * So an origin a request's headers name compares equal to the `origin` of a URL for the same
 * place (`Host: app:80` is `http://app`).
 */
export function originOf(scheme: string, host: ServerHost): string {
  const port = host.port === '' ? '' : String(+host.port);
  const fallback = scheme === 'https' ? '443' : scheme === 'http' ? '80' : '';
  const origin = `${scheme}://${host.hostname}${port === '' || port === fallback ? '' : `:${port}`}`;
  // An address may be written several ways (`127.1`, `0x7f.0.0.1`, `[0:0::1]`): `URL` writes it
  // as a fetch to it has it. Names and dotted IPv4 addresses, the usual cases, need no parse.
  const hostname = host.hostname;
  if (!MAYBE_ADDRESS.test(hostname) || DOTTED_IPV4.test(hostname)) return origin;
  try {
    return new URL(origin).origin;
  } catch {
    return origin;
  }
}

/** A host that may be an IP address in some form: a literal in brackets, or hex and dots only. */
const MAYBE_ADDRESS = /^(?:\[|[\dx.a-f]+$)/i;
/** An IPv4 address as `URL` writes it: four decimal numbers up to 255, no leading zeros. */
const DOTTED_IPV4 =
  /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** The schemes a request that reached an HTTP server was made with. */
const SCHEME = /^https?$/;

/**
 * The scheme of the client's request, by the HTTP semantic conventions (`url.scheme`): the one a
 * reverse proxy passed on (`Forwarded: proto=`, then `X-Forwarded-Proto`), lowercase; undefined
 * when neither names `http` or `https` (the request URL's scheme then applies: a proxy in front of
 * an HTTP server forwards one of them, and a header that says `javascript` says nothing).
 * `forwarded`: the `Forwarded` header, read once for this and `serverHost`.
 */
export function originalScheme(headers: Headers, forwarded: string | null): string | undefined {
  if (forwarded !== null) {
    const proto = forwardedParameter(forwarded, 'proto', (value) => {
      const scheme = value.toLowerCase();
      return SCHEME.test(scheme) ? scheme : undefined;
    });
    if (proto !== undefined) return proto;
  }
  const header = headers.get('x-forwarded-proto');
  if (header === null) return undefined;
  const scheme = firstOfList(header).toLowerCase();
  return SCHEME.test(scheme) ? scheme : undefined;
}

/**
 * `client.address` by the HTTP conventions ("The IP address of the original client behind all
 * proxies, if known (e.g. from Forwarded#for, X-Forwarded-For, or a similar header)"): the first
 * element's `for=` of `Forwarded` (`unknown` or an obfuscated identifier there: none), else the
 * first address of `X-Forwarded-For`, without brackets or port; undefined when neither names one. A Web
 * `Request` carries no peer address, so without a proxy's header there is none.
 */
export function clientAddress(headers: Headers, forwarded: string | null): string | undefined {
  if (forwarded !== null) {
    // The first element is the client's (RFC 7239); a later one is a proxy's, never the client.
    let found = false;
    const address = forwardedParameter(firstOfList(forwarded), 'for', (value) => {
      found = true;
      return bareAddress(value);
    });
    if (found) return address;
  }
  const header = headers.get('x-forwarded-for');
  return header === null ? undefined : bareAddress(firstOfList(header));
}

/** An IPv4 or IPv6 address without brackets or port (`[2001:db8::1]:4711`, `192.0.2.43:80`). */
function bareAddress(value: string): string | undefined {
  let address = value;
  if (address.startsWith('[')) {
    const close = address.indexOf(']');
    if (close === -1) return undefined;
    address = address.slice(1, close);
  } else if (address.indexOf(':') === address.lastIndexOf(':')) {
    // IPv4 with an optional port (a bare IPv6 address has more than one ':')
    const colon = address.indexOf(':');
    if (colon !== -1) address = address.slice(0, colon);
  }
  // digits and dots (IPv4) or hex digits and colons (IPv6, maybe ending in IPv4): not a name. At
  // most 45 characters (IPv6 ending in IPv4, written in full), checked first: the pattern
  // backtracks over a long run of colons in time quadratic in its length.
  return address.length <= 45 && /^(?:[\d.]{7,15}|[\da-fA-F.:]*:[\da-fA-F.:]*)$/.test(address)
    ? address.toLowerCase()
    : undefined;
}

/**
 * RFC 7239: the first usable `host` parameter, from the element the proxy nearest the client
 * wrote onwards. Elements and pairs are split at every ',' and ';' (a host holds neither).
 */
function forwardedHost(value: string): ServerHost | undefined {
  return forwardedParameter(value, 'host', splitHost);
}

/** The first value of parameter `name` in a `Forwarded` header that `read` accepts. */
function forwardedParameter<T>(
  value: string,
  name: string,
  read: (value: string) => T | undefined,
): T | undefined {
  for (const element of value.split(',')) {
    for (const pair of element.split(';')) {
      const equals = pair.indexOf('=');
      if (equals === -1 || pair.slice(0, equals).trim().toLowerCase() !== name) continue;
      let found = pair.slice(equals + 1).trim();
      if (found.length >= 2 && found.startsWith('"') && found.endsWith('"')) {
        found = found.slice(1, -1);
      }
      const usable = read(found);
      if (usable !== undefined) return usable;
    }
  }
  return undefined;
}

function firstOfList(value: string): string {
  const comma = value.indexOf(',');
  return (comma === -1 ? value : value.slice(0, comma)).trim();
}

/** A registered name or IPv4 address (RFC 3986 reg-name characters), up to 255 of them. */
const HOST_NAME = /^[\w.~%!$&'()*+,;=-]{1,255}$/;
/** An IPv6 (or future) address literal in brackets. */
const IP_LITERAL = /^\[[\w.:%~-]{2,253}\]$/;

/** `host[:port]` with a port of digits only; undefined when empty or malformed. */
export function splitHost(value: string): ServerHost | undefined {
  let hostname = value;
  let port = '';
  const colon = value.lastIndexOf(':');
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    if (close === -1) return undefined;
    hostname = value.slice(0, close + 1);
    const rest = value.slice(close + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) return undefined;
      port = rest.slice(1);
    }
  } else if (colon !== -1) {
    // more than one ':' without brackets is no host:port
    if (value.indexOf(':') !== colon) return undefined;
    hostname = value.slice(0, colon);
    port = value.slice(colon + 1);
  }
  if (!(HOST_NAME.test(hostname) || IP_LITERAL.test(hostname))) return undefined;
  if (port !== '' && !(/^\d{1,5}$/.test(port) && +port <= 65535)) return undefined;
  return { hostname: hostname.toLowerCase(), port };
}
