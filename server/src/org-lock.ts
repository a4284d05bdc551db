// One writer per org. SQLite orders the writes of the processes that share an org file (WAL, a busy timeout), but two
// things it cannot: `import` and `seed` *replace* the file — a running server keeps writing to the old one and its
// 201s are lost — and two syncs of the same org compute and write over each other. So each holder leaves a lock file
// in the data folder naming its process:
//   serve    — for the server's life: no import or seed may replace the org under it;
//   sync     — for one sync (the CLI's, or one the server runs): no second sync, no import or seed meanwhile;
//   replace  — for an import or a seed: nothing else may open the org meanwhile.
// A lock whose process is gone (kill -9) is stale and taken over. Limit: a lock is advisory and per data folder —
// a tool that writes org.sqlite directly, or a second machine on a network share, is not stopped by it.
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from './errors.ts';

export type HoldKind = 'serve' | 'sync' | 'replace';

/** Which running holds refuse a new one. */
const CONFLICTS: Record<HoldKind, HoldKind[]> = {
  serve: ['serve', 'replace'],
  sync: ['sync', 'replace'],
  replace: ['serve', 'sync', 'replace'],
};

const WHAT: Record<HoldKind, string> = { serve: 'a running `stagecraft serve`', sync: 'a sync', replace: 'an import or seed' };

const lockFile = (dataDir: string, kind: HoldKind): string => join(dataDir, `.${kind}.lock`);

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The live process holding `kind`, or null (a missing, unreadable or stale lock). */
const holder = (dataDir: string, kind: HoldKind): number | null => {
  let pid: number;
  try {
    pid = Number(readFileSync(lockFile(dataDir, kind), 'utf8').trim());
  } catch {
    return null;
  }
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : null;
};

export interface Hold {
  release(): void;
}

/**
 * Takes a hold on the org in `dataDir`, or throws a `conflict` naming who holds it. The own lock is created first
 * (atomically, `wx`) and the others checked after, so of two racing processes at least one sees the other.
 */
export const holdOrg = (dataDir: string, kind: HoldKind): Hold => {
  const file = lockFile(dataDir, kind);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new AppError('configuration', `cannot create ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      const pid = holder(dataDir, kind);
      if (pid !== null) throw conflict(kind, kind, pid);
      // Stale (its process is gone): taken over.
      rmSync(file, { force: true });
      if (attempt > 3) throw new AppError('conflict', `cannot take ${file}: another process keeps recreating it`);
    }
  }
  const release = (): void => {
    try {
      if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, { force: true });
    } catch {
      // Already gone.
    }
  };
  for (const other of CONFLICTS[kind]) {
    if (other === kind) continue;
    const pid = holder(dataDir, other);
    if (pid !== null) {
      release();
      throw conflict(kind, other, pid);
    }
  }
  return { release };
};

const conflict = (wanted: HoldKind, held: HoldKind, pid: number): AppError =>
  new AppError('conflict', `${WHAT[held]} (process ${pid}) is using this org; ${wanted === 'replace' ? 'stop it before importing or seeding' : wanted === 'serve' ? 'stop it before serving this data folder again' : 'try again when it is done'}`, { name: 'OrgBusy' });

/** Runs `work` under a hold, releasing it however `work` ends. */
export const withHold = async <T>(dataDir: string, kind: HoldKind, work: () => Promise<T> | T): Promise<T> => {
  const hold = holdOrg(dataDir, kind);
  try {
    return await work();
  } finally {
    hold.release();
  }
};
