// A Salesforce-export folder of any size, written as it is generated (one deal at a time), for the benchmark of the
// path a user runs: `stagecraft import` → `sync` → `export`. Its knobs are sizes and rates only — how many deals,
// activities, contacts and reps, what share is still open — and know nothing of the playbook's rules, so the engine
// is measured on data it was not tuned to. Columns and formats are Data Export's (ISO dates, 18-character ids,
// TRUE/FALSE), with the extra columns a real export carries (IsDeleted, SystemModstamp, Description).
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { makeId } from '../server/src/crm/sf-id.ts';

export interface ExportOrgOptions {
  deals: number;
  activities: number;
  reps: number;
  contacts: number;
  /** The export's "now": the newest records are dated just before it. */
  now: string;
  seed?: number;
  /** Share of deals still open (default 0.2). */
  openShare?: number;
  /** How far back the org's history goes, days (default 3 years). */
  spanDays?: number;
}

const STAGES = ['Prospecting', 'Qualification', 'Needs Analysis', 'Value Proposition', 'Id. Decision Makers', 'Perception Analysis', 'Proposal/Price Quote', 'Negotiation/Review'];
const TITLES = ['CFO', 'VP Finance', 'Director of IT', 'IT Manager', 'Procurement Specialist', 'Head of Operations', 'Analyst', 'Office Manager', 'Chief Executive Officer', 'Senior Buyer', 'Engineer', 'SVP, Sales'];
const INDUSTRIES = ['Technology', 'Finance', 'Healthcare', 'Retail', 'Manufacturing', 'Energy'];
const SUBJECTS = ['Call', 'Email', 'Follow up', 'Send quote', 'Demo', 'Discovery call', 'Check in'];
const DISPOSITIONS = ['Connected', 'Left voicemail', 'No answer', 'Spoke with buyer', ''];
const DAY = 86_400_000;

/** A small, fast, seeded generator (mulberry32): the same options always write the same files. */
const random = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const csvCell = (v: string | number | boolean | null): string => {
  if (v === null) return '';
  const s = typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** A CSV file written in 1 MB chunks, waiting for the disk when the stream's buffer is full. */
class CsvFile {
  private readonly stream: WriteStream;
  private buffer: string[] = [];
  private size = 0;
  rows = 0;
  constructor(path: string, header: string[]) {
    this.stream = createWriteStream(path);
    this.buffer.push(header.join(',') + '\n');
  }
  async row(values: (string | number | boolean | null)[]): Promise<void> {
    const line = values.map(csvCell).join(',') + '\n';
    this.buffer.push(line);
    this.size += line.length;
    this.rows++;
    if (this.size > 1 << 20) await this.flush();
  }
  private async flush(): Promise<void> {
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

const iso = (ms: number): string => new Date(ms).toISOString();
const day = (ms: number): string => iso(ms).slice(0, 10);

export const writeExportOrg = async (dir: string, o: ExportOrgOptions): Promise<Record<string, number>> => {
  mkdirSync(dir, { recursive: true });
  const rnd = random(o.seed ?? 7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const nowMs = Date.parse(o.now);
  const spanMs = (o.spanDays ?? 3 * 365) * DAY;
  const openShare = o.openShare ?? 0.2;
  const accounts = Math.max(1, Math.round(o.contacts / 4));

  const files = {
    User: new CsvFile(join(dir, 'User.csv'), ['Id', 'Name', 'FirstName', 'LastName', 'Email', 'Title', 'Department', 'ManagerId', 'IsActive', 'CreatedDate']),
    Account: new CsvFile(join(dir, 'Account.csv'), ['Id', 'IsDeleted', 'Name', 'Industry', 'Type', 'OwnerId', 'AnnualRevenue', 'NumberOfEmployees', 'BillingCountry', 'CreatedDate']),
    Contact: new CsvFile(join(dir, 'Contact.csv'), ['Id', 'IsDeleted', 'AccountId', 'FirstName', 'LastName', 'Name', 'Title', 'Department', 'Email', 'CreatedDate']),
    Opportunity: new CsvFile(join(dir, 'Opportunity.csv'), ['Id', 'IsDeleted', 'AccountId', 'Name', 'Description', 'StageName', 'Amount', 'Probability', 'CloseDate', 'Type', 'NextStep', 'LeadSource', 'IsClosed', 'IsWon', 'OwnerId', 'CreatedById', 'CreatedDate', 'SystemModstamp']),
    OpportunityHistory: new CsvFile(join(dir, 'OpportunityHistory.csv'), ['Id', 'OpportunityId', 'CreatedById', 'CreatedDate', 'StageName', 'Amount', 'CloseDate', 'Probability', 'ForecastCategory', 'SystemModstamp', 'IsDeleted']),
    OpportunityContactRole: new CsvFile(join(dir, 'OpportunityContactRole.csv'), ['Id', 'OpportunityId', 'ContactId', 'Role', 'IsPrimary', 'CreatedDate']),
    Task: new CsvFile(join(dir, 'Task.csv'), ['Id', 'WhoId', 'WhatId', 'Subject', 'ActivityDate', 'Status', 'Priority', 'OwnerId', 'Description', 'IsClosed', 'TaskSubtype', 'CallDurationInSeconds', 'CallDisposition', 'CreatedDate']),
    Event: new CsvFile(join(dir, 'Event.csv'), ['Id', 'WhoId', 'WhatId', 'Subject', 'ActivityDateTime', 'ActivityDate', 'DurationInMinutes', 'OwnerId', 'Type', 'Description', 'CreatedDate']),
  };

  const managers = Math.max(1, Math.round(o.reps / 8));
  const userIds: string[] = [];
  for (let i = 0; i < o.reps + managers; i++) {
    const id = makeId('005', i + 1);
    userIds.push(id);
    const isManager = i >= o.reps;
    const managerId = isManager ? null : makeId('005', o.reps + 1 + (i % managers));
    await files.User.row([id, `User ${i + 1}`, 'User', String(i + 1), `user${i + 1}@example.com`, isManager ? 'Sales Manager' : 'Account Executive', 'Sales', managerId, rnd() > 0.03, iso(nowMs - spanMs - rnd() * 365 * DAY)]);
  }
  const reps = userIds.slice(0, o.reps);
  for (let i = 0; i < accounts; i++) {
    await files.Account.row([makeId('001', i + 1), false, `Account ${i + 1}`, pick(INDUSTRIES), 'Customer - Direct', pick(reps), Math.round(rnd() * 1e8), Math.round(rnd() * 5000), 'US', iso(nowMs - spanMs - 30 * DAY)]);
  }
  for (let i = 0; i < o.contacts; i++) {
    await files.Contact.row([makeId('003', i + 1), false, makeId('001', (i % accounts) + 1), 'Pat', `Contact${i + 1}`, `Pat Contact${i + 1}`, pick(TITLES), pick(['Finance', 'IT', 'Operations', 'Procurement']), `c${i + 1}@example.com`, iso(nowMs - spanMs - 20 * DAY)]);
  }

  const perDeal = o.activities / o.deals;
  let history = 0;
  let roles = 0;
  let tasks = 0;
  let events = 0;
  for (let d = 0; d < o.deals; d++) {
    const id = makeId('006', d + 1);
    const account = Math.floor(rnd() * accounts);
    const owner = reps[Math.floor(rnd() * reps.length)]!;
    const open = rnd() < openShare;
    // Open deals were created in the last months; closed ones anywhere in the span.
    const createdMs = open ? nowMs - (5 + rnd() * 180) * DAY : nowMs - 60 * DAY - rnd() * (spanMs - 60 * DAY);
    const reached = 1 + Math.floor(rnd() * STAGES.length);
    const won = !open && rnd() < 0.3 + 0.05 * reached;
    const stage = open ? STAGES[reached - 1]! : won ? 'Closed Won' : 'Closed Lost';
    const endMs = open ? nowMs - rnd() * 10 * DAY : createdMs + (20 + rnd() * 120) * DAY;
    const amount = Math.round(1000 + rnd() * 200_000);
    const closeMs = open ? nowMs + (rnd() * 120 - 20) * DAY : endMs;
    const creator = rnd() < 0.8 ? owner : pick(reps);
    await files.Opportunity.row([id, false, makeId('001', account + 1), `Deal ${d + 1}`, rnd() < 0.1 ? 'Renewal, "priority" account' : '', stage, amount, open ? 10 * reached : won ? 100 : 0, day(closeMs), pick(['New Business', 'Existing Business']), rnd() < 0.5 ? `Call ${pick(TITLES)} next week` : '', pick(['Web', 'Partner', 'Referral', 'Cold Call']), !open, won, owner, creator, iso(createdMs), iso(endMs)]);
    // Stage history: a row per stage reached, plus repeats when the amount or close date changed.
    const steps = open ? reached : reached + 1;
    for (let s = 0; s < steps; s++) {
      const at = createdMs + ((endMs - createdMs) * s) / steps;
      const name = s < reached ? STAGES[s]! : stage;
      const repeats = rnd() < 0.3 ? 2 : 1;
      for (let r = 0; r < repeats; r++) {
        history++;
        await files.OpportunityHistory.row([makeId('008', history), id, owner, iso(at + r * 3600_000), name, amount, day(closeMs), 10, 'Pipeline', iso(at + r * 3600_000), false]);
      }
    }
    const contacts = 1 + Math.floor(rnd() * 4);
    const contactIds: string[] = [];
    for (let c = 0; c < contacts; c++) contactIds.push(makeId('003', ((account + c * accounts) % o.contacts) + 1));
    for (let c = 0; c < Math.min(contacts, 1 + Math.floor(rnd() * 3)); c++) {
      roles++;
      await files.OpportunityContactRole.row([makeId('00K', roles), id, contactIds[c]!, pick(['Decision Maker', 'Economic Buyer', 'Influencer', 'Evaluator', 'Technical Buyer']), c === 0, iso(createdMs + DAY)]);
    }
    // Activities spread over the deal's life (and a few planned ahead on open deals).
    const n = Math.max(0, Math.round(perDeal * (0.5 + rnd())));
    for (let a = 0; a < n; a++) {
      const at = createdMs + rnd() * (endMs - createdMs) + (open && rnd() < 0.1 ? rnd() * 14 * DAY : 0);
      const who = pick(contactIds);
      const doer = rnd() < 0.9 ? owner : pick(reps);
      if (rnd() < 0.25) {
        events++;
        await files.Event.row([makeId('00U', events), who, id, pick(['Meeting', 'Demo', 'Discovery meeting']), iso(at), day(at), 30 + 30 * Math.floor(rnd() * 3), doer, 'Meeting', '', iso(Math.min(at, nowMs) - DAY)]);
      } else {
        tasks++;
        const call = rnd() < 0.6;
        const done = at <= nowMs ? rnd() < 0.95 : false;
        await files.Task.row([makeId('00T', tasks), who, id, call ? 'Call' : pick(SUBJECTS), day(at), done ? 'Completed' : 'Not Started', 'Normal', doer, '', done, call ? 'Call' : rnd() < 0.5 ? 'Email' : 'Task', call ? Math.round(rnd() < 0.3 ? rnd() * 10 : 60 + rnd() * 900) : null, call ? pick(DISPOSITIONS) : null, iso(Math.min(at, nowMs) - DAY)]);
      }
    }
  }
  const counts: Record<string, number> = {};
  for (const [name, file] of Object.entries(files)) {
    await file.close();
    counts[name] = file.rows;
  }
  return counts;
};

// `node bench/export-org.ts <dir> <deals> <activities> <reps> <contacts>`: write one folder.
if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, deals, activities, reps, contacts] = process.argv.slice(2);
  const started = Date.now();
  const counts = await writeExportOrg(dir!, { deals: Number(deals), activities: Number(activities), reps: Number(reps), contacts: Number(contacts), now: new Date().toISOString() });
  console.log(JSON.stringify({ dir, counts, ms: Date.now() - started }));
}
