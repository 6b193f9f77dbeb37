import { createServer } from 'node:net';

/** A loopback port nobody listens on right now (the OS picks it), for a server a test starts. */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
