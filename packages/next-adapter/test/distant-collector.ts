/**
 * A collector as a server reaches one across a network: over HTTPS, `delayMillis` away each way.
 * A TCP proxy that holds every chunk `delayMillis` in each direction, in front of a TLS endpoint
 * (a self-signed certificate for localhost, in ./fixtures) that forwards to `targetPort`. On
 * loopback, bytes a process has written are delivered even if it exits at once; through TLS, a
 * new connection can send its request only once the handshake's answer has come back, as on a
 * real network.
 */
import { readFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;

/** The certificate the app must trust: pass it as `NODE_EXTRA_CA_CERTS`. */
export const COLLECTOR_CA_FILE = fixture('localhost-cert.pem');

export interface DistantCollector {
  /** `https://localhost:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Copies `from` to `to`, each chunk and the end `delayMillis` late. */
function delayed(from: Socket, to: Socket, delayMillis: number): void {
  from.on('data', (chunk) => setTimeout(() => to.destroyed || to.write(chunk), delayMillis));
  from.on('close', () => setTimeout(() => to.destroy(), delayMillis));
  from.on('error', () => {});
}

export async function startDistantCollector(
  targetPort: number,
  delayMillis: number,
): Promise<DistantCollector> {
  const tls = createTlsServer(
    { cert: readFileSync(COLLECTOR_CA_FILE), key: readFileSync(fixture('localhost-key.pem')) },
    (socket) => {
      const target = connect(targetPort, '127.0.0.1');
      socket.pipe(target).pipe(socket);
      socket.on('error', () => target.destroy());
      target.on('error', () => socket.destroy());
    },
  );
  const tlsPort = await listen(tls);
  const sockets = new Set<Socket>();
  const proxy = createServer((client) => {
    const upstream = connect(tlsPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    delayed(client, upstream, delayMillis);
    delayed(upstream, client, delayMillis);
  });
  const port = await listen(proxy);
  return {
    url: `https://localhost:${port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await Promise.all([close(proxy), close(tls)]);
    },
  };
}
