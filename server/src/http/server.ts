// Owns the HTTP server's life: start on HOST:PORT (port 0 in tests), stop gracefully.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type AppDeps } from './app.ts';

export interface RunningServer {
  url: string;
  server: Server;
  stop(): Promise<void>;
}

export const startServer = (deps: AppDeps, host: string, port: number): Promise<RunningServer> =>
  new Promise((resolve, reject) => {
    const server = createApp(deps).listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      const address = server.address() as AddressInfo;
      const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        url: `http://${shown}:${address.port}`,
        server,
        // Stop accepting, let in-flight requests finish, then close idle keep-alive sockets.
        stop: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
  });
