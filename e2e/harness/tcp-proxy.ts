import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Drop every connection and refuse new ones: to a client, the server is down. */
  cut(): void;
  /**
   * Accept connections and keep them open, but pass nothing either way: to a client, the
   * server hangs (a dead host behind a live load balancer, a network that drops packets).
   */
  blackhole(): void;
  /** Back to forwarding; connections that were black-holed are closed, as their peer would time out. */
  restore(): void;
  close(): Promise<void>;
}

type Mode = 'up' | 'refuse' | 'blackhole';

/** A loopback TCP proxy that a test can cut or black-hole, to fail a real server for one client only. */
export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  let mode: Mode = 'up';
  const sockets = new Set<Socket>();
  const holed = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  const swallow = (s: Socket) => {
    holed.add(s);
    s.on('data', () => {});
    s.resume();
  };
  const server: Server = createServer((client) => {
    if (mode === 'refuse') return void client.destroy();
    track(client);
    client.on('error', () => client.destroy());
    if (mode === 'blackhole') return swallow(client);
    const upstream = connect(targetPort, targetHost);
    track(upstream);
    for (const s of [client, upstream])
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    cut() {
      mode = 'refuse';
      for (const s of sockets) s.destroy();
    },
    blackhole() {
      mode = 'blackhole';
      for (const s of sockets) {
        s.unpipe();
        swallow(s);
      }
    },
    restore() {
      mode = 'up';
      for (const s of holed) s.destroy();
      holed.clear();
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
