// Owns the HTTP server's life: start on HOST:PORT (port 0 in tests), stop gracefully — stop accepting, let in-flight
// requests and a running sync finish, then the caller closes the store.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../errors.ts';
import { isLoopbackAddress } from '../loopback.ts';
import { holdOrg, type Hold } from '../org-lock.ts';
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
    // For the server's life: no import or seed may replace the org it writes to (its writes would be lost).
    let hold: Hold;
    try {
      hold = holdOrg(deps.dataDir, 'serve');
    } catch (error) {
      reject(error);
      return;
    }
    const releaseOnExit = (): void => hold.release();
    process.once('exit', releaseOnExit);
    const { app, sync, analytics } = createApp({ host, ...deps });
    const server = app.listen(port, host);
    server.once('error', (error: NodeJS.ErrnoException) => {
      hold.release();
      reject(listenError(error, host, port));
    });
    server.once('listening', () => {
      const address = server.address() as AddressInfo;
      // Without a token the companion must be reachable from this machine only: judged by the address it bound.
      if (!deps.apiToken && !isLoopbackAddress(address.address)) {
        server.close();
        hold.release();
        reject(new AppError('configuration', `HOST ${host} bound ${address.address}, which is not loopback: set STAGECRAFT_API_TOKEN to serve beyond this machine`));
        return;
      }
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
          hold.release();
          process.removeListener('exit', releaseOnExit);
        },
      });
    });
  });

/** Why the server could not listen, as one line. */
const listenError = (error: NodeJS.ErrnoException, host: string, port: number): AppError => {
  const where = `${host}:${port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return new AppError('conflict', `port ${port} on ${host} is already in use: stop the other process or set PORT`, { cause: error });
    case 'EACCES':
      return new AppError('configuration', `not allowed to listen on ${where} (ports below 1024 need privileges): set PORT`, { cause: error });
    case 'EADDRNOTAVAIL':
      return new AppError('configuration', `HOST ${host} is not an address of this machine`, { cause: error });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new AppError('configuration', `HOST ${host} does not resolve to an address`, { cause: error });
    default:
      return new AppError('internal', `cannot listen on ${where}: ${error.message}`, { cause: error });
  }
};
