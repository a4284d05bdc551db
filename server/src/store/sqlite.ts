// The one transaction helper for the companion's SQLite files (the embedded org, the companion store).
import type { DatabaseSync } from 'node:sqlite';

/** Runs `work` in a transaction: committed when it returns, rolled back when it throws. */
export const inTransaction = <T>(db: DatabaseSync, work: () => T, begin: 'BEGIN' | 'BEGIN IMMEDIATE' = 'BEGIN'): T => {
  db.exec(begin);
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
};
