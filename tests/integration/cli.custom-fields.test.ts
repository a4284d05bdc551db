// The command line over an org qualified in custom fields: import keeps the columns, `playbook check` warns about a
// rule on a field no deal has, and `backtest` defines lift, shows a milestone that goes with losing, and — without stage
// history — says what it can and cannot tell instead of printing an empty table.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/org-files.ts';
import { ASOF, qualificationPlaybook, writeQualificationOrg } from '../support/qualification-org.ts';

const BIN = new URL('../../bin/stagecraft.js', import.meta.url).pathname;
const run = (args: string[], dataDir: string): { status: number | null; out: string } => {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, STAGECRAFT_DATA_DIR: dataDir }, encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
};

describe('stagecraft import · playbook check · backtest on custom qualification fields', () => {
  it('When the export carries custom fields and field history, then import keeps them, check warns on a field no deal has, and backtest shows lift both ways', () => {
    const data = tempDir();
    const folder = tempDir();
    writeQualificationOrg(folder, { withHistory: true });
    const imported = run(['import', folder], data);
    expect(imported.status).toBe(0);
    expect(imported.out).toMatch(/kept for playbook rules .*Budget_Confirmed__c \(boolean\)/);
    expect(imported.out).toMatch(/ignored columns Opportunity Lifecycle \(Days\)/);

    const file = join(tempDir(), 'playbook.json');
    writeFileSync(file, JSON.stringify(qualificationPlaybook({ extraField: 'MEDDICC_Champion__c' })));
    const checked = run(['playbook', 'check', file], data);
    expect(checked.status).toBe(0);
    expect(checked.out).toMatch(/Warning: no deal has a value in MEDDICC_Champion__c/);

    writeFileSync(file, JSON.stringify(qualificationPlaybook()));
    const set = run(['playbook', 'set', file], data);
    expect(set.status).toBe(0);
    expect(set.out).not.toContain('Warning');
    const backtest = run(['backtest', '--as-of', ASOF], data);
    expect(backtest.status).toBe(0);
    expect(backtest.out).toContain('Lift = win rate when the milestone was met ÷ win rate when it was missed');
    expect(backtest.out).toMatch(/Budget confirmed .*4\.00×\s+wins/);
    expect(backtest.out).toMatch(/New business .*0\.33× \(goes with losing; missing it goes with winning: 3\.03×\)\s+losses/);
    expect(backtest.out).toContain('Decision_Process_Mapped__c and Type have no field history here');
  }, 180_000);

  it('When only Opportunity.csv is imported, then backtest and conversion say what they cannot tell', () => {
    const data = tempDir();
    const folder = tempDir();
    writeQualificationOrg(folder, { withHistory: false });
    expect(run(['import', folder], data).status).toBe(0);
    const file = join(tempDir(), 'playbook.json');
    writeFileSync(file, JSON.stringify(qualificationPlaybook()));
    expect(run(['playbook', 'set', file], data).status).toBe(0);
    const backtest = run(['backtest', '--as-of', ASOF], data);
    expect(backtest.status).toBe(0);
    expect(backtest.out).toContain('No stage history: 40 closed deals judged on their final values at close');
    expect(backtest.out).toMatch(/\(at close\)\s+Budget confirmed/);
    expect(backtest.out).toContain('Stage conversion (Standard): No stage history: 40 closed deals, 50 % won overall; where the lost ones were lost cannot be told, so there are no per-stage win rates.');
    expect(backtest.out).not.toMatch(/100 %/);
  }, 180_000);
});
