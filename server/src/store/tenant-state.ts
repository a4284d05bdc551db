// What the companion remembers about each tenant (an org or a portal) between runs, behind an async repository so a
// PostgreSQL implementation can take SQLite's place without touching the use cases: the last sync, the org-level facts
// of the last full pass (reused by incremental recomputes), and the change cursor those recomputes resume from.
import type { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { openCompanionDb } from './companion-store.ts';
import type { StageBenchmark } from '../../../shared/src/engine/benchmarks.ts';
import type { RiskFlag } from '../../../shared/src/fields.ts';
import type { WinModelResult } from '../../../shared/src/engine/win-probability.ts';
import type { PeerFigures } from '../../../shared/src/engine/reps.ts';

/** The outcome of the last sync, shown by the preview header and `GET /api/health`. */
export interface LastSync {
  at: string;
  asOf: string;
  mode: 'full' | 'incremental';
  fieldsChanged: number;
  recordsChanged: number;
}

/** Org-level yardsticks of the last full pass: what a recompute of a few deals cannot compute from them alone. */
export interface OrgFacts {
  asOf: string;
  /** The playbook they were computed under: another playbook means a full pass first. */
  playbookHash: string;
  /** Stage → median days won deals spent in it, and how many transitions that median is over. */
  benchmarks: [string, StageBenchmark][];
  /** The risk flags that predict losses on this org's closed deals (or that the playbook says to raise). */
  raisedFlags: RiskFlag[];
  /** The win model fitted on the closed deals (or why there is none yet). */
  winModel?: WinModelResult;
  /** When the raised flags and the win model were learned (they are reused for a while; see FLAG_JUDGEMENT_TTL_MS). */
  judgedAt?: string;
  /** What the full sync keeps to rescore single reps between full syncs (absent: reps wait for the next full sync). */
  repFacts?: RepFacts;
}

/**
 * What the last full sync keeps for rescoring the owners of changed deals between full syncs (stored as tenant state):
 * the peer figures each rep is scored against, and per rep the parts of the scorecard that look at the whole org or at
 * coaching records a deal-scoped read does not bring — the coaching block of the breakdown (peer to learn from,
 * inspection coverage) and the coaching-plan lines of this quarter's review. Those stay as the full sync left them.
 */
export interface RepFacts {
  figures: PeerFigures;
  coaching: Record<string, Record<string, unknown> | null>;
  quarter: string;
  reviewLines: Record<string, unknown[]>;
}


export interface TenantStateRepository {
  lastSync(tenant: string): Promise<LastSync | null>;
  setLastSync(tenant: string, value: LastSync): Promise<void>;
  facts(tenant: string): Promise<OrgFacts | null>;
  setFacts(tenant: string, value: OrgFacts): Promise<void>;
  /** Where the next incremental recompute starts (an adapter's opaque change cursor). */
  changeCursor(tenant: string): Promise<string | null>;
  setChangeCursor(tenant: string, cursor: string): Promise<void>;
  close(): Promise<void>;
}

export const stateFile = (dataDir: string): string => join(dataDir, 'companion.sqlite');

/** The embedded and single-org implementation: a table in the companion's SQLite file. */
export class SqliteTenantState implements TenantStateRepository {
  private readonly db: DatabaseSync;

  constructor(file: string) {
    this.db = openCompanionDb(file);
  }

  private get<T>(tenant: string, key: string): T | null {
    const row = this.db.prepare('SELECT value FROM tenant_state WHERE tenant = ? AND key = ?').get(tenant, key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : null;
  }

  private set(tenant: string, key: string, value: unknown): void {
    this.db.prepare('INSERT INTO tenant_state (tenant, key, value) VALUES (?, ?, ?) ON CONFLICT (tenant, key) DO UPDATE SET value = excluded.value').run(tenant, key, JSON.stringify(value));
  }

  async lastSync(tenant: string): Promise<LastSync | null> {
    return this.get<LastSync>(tenant, 'lastSync');
  }
  async setLastSync(tenant: string, value: LastSync): Promise<void> {
    this.set(tenant, 'lastSync', value);
  }
  async facts(tenant: string): Promise<OrgFacts | null> {
    return this.get<OrgFacts>(tenant, 'facts');
  }
  async setFacts(tenant: string, value: OrgFacts): Promise<void> {
    this.set(tenant, 'facts', value);
  }
  async changeCursor(tenant: string): Promise<string | null> {
    return this.get<string>(tenant, 'changeCursor');
  }
  async setChangeCursor(tenant: string, cursor: string): Promise<void> {
    this.set(tenant, 'changeCursor', cursor);
  }
  async close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
  }
}
