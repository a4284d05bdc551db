// Owns the HTTP server's life: start on HOST:PORT (port 0 in tests), stop gracefully — stop accepting, let in-flight
// requests and a running sync finish, then the caller closes the store.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type AppDeps } from './app.ts';
import type { SyncJob } from './sync-job.ts';

export interface RunningServer {
  url: string;
  server: Server;
  sync: SyncJob;
  stop(): Promise<void>;
}

export const startServer = (deps: AppDeps, host: string, port: number): Promise<RunningServer> =>
  new Promise((resolve, reject) => {
    const { app, sync, analytics } = createApp(deps);
    const server = app.listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      const address = server.address() as AddressInfo;
      const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        url: `http://${shown}:${address.port}`,
        server,
        sync,
        stop: async () => {
          const closed = new Promise<void>((done) => server.close(() => done()));
          server.closeIdleConnections();
          await closed;
          await sync.idle();
          await analytics.idle();
        },
      });
    });
  });
