// A companion server over an org file, in its own process, for the hostile-load measurement (bench/hostile-load.ts):
// the load generator then cannot skew the server's event loop, and the server's own memory can be read from /proc.
// Usage: node bench/serve-org.ts <data dir> [reads-per-minute]. Prints the URL as one JSON line, serves until killed.
import { join } from 'node:path';
import { OrgStore } from '../server/src/crm/embedded/store.ts';
import { silentLogger } from '../server/src/http/log.ts';
import { startServer } from '../server/src/http/server.ts';

const [dataDir, perMinute] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: node bench/serve-org.ts <data dir> [reads-per-minute]');
const limit = Number(perMinute ?? 1200);
const store = OrgStore.open(join(dataDir, 'org.sqlite'));
const running = await startServer({ store, dataDir, apiToken: null, crm: 'embedded', logger: silentLogger, rateLimit: { reads: limit, writes: limit } }, '127.0.0.1', 0);
console.log(JSON.stringify({ url: running.url, pid: process.pid }));
process.once('SIGTERM', () => void running.stop().then(() => {
  store.close();
  process.exit(0);
}));
