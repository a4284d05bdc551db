// The demo org: a real public pipeline (Maven Analytics "CRM Sales Opportunities": 8,800 deals, 35 reps, 6 managers,
// 85 accounts, values, outcomes and dates) plus what that data set lacks — contacts with titles, contact roles,
// activities and stage history — generated deterministically and plausibly: more engagement, more people and more
// executives on won deals than on lost ones, with noise. Every generated record says so in its Description or Subject
// prefix "[generated]" where the object has one. Dates are shifted by one whole-day offset so the latest activity lands
// the day before `today`, keeping every interval of the original data intact.
import { STANDARD_OPEN_STAGES, STANDARD_PROCESS, STANDARD_STAGES } from '../../../../../shared/src/playbook/standard-process.ts';
import { makeId } from '../../sf-id.ts';
import { KEY_PREFIX, type SfObjectName } from '../../sobjects.ts';
import type { SfRecord } from '../store.ts';
import { rng, type Rng } from './random.ts';
import type { MavenData, MavenDeal } from './maven.ts';
import { CONTACT_ROLES, CONTACT_TITLES, FIRST_NAMES, LAST_NAMES, LEAD_SOURCES, NEXT_STEPS, SUBJECTS } from './vocabulary.ts';

const DAY = 86_400_000;
const SEED = 'stagecraft-demo-v1';

export type DemoOrg = Record<SfObjectName, SfRecord[]>;

export interface DemoSummary {
  /** Whole days added to every date of the original data. */
  offsetDays: number;
  counts: Record<string, number>;
  /** Generated quotas (quotas.csv rows): each rep's average quarterly wins of the last year, plus 10 %. */
  quotas: { user: string; quarter: string; quota: number }[];
}

const dayMs = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);
const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const isoInstant = (ms: number): string => new Date(ms).toISOString();

const CLOSED_WON = STANDARD_STAGES.find((s) => s.won)!;
const CLOSED_LOST = STANDARD_STAGES.find((s) => s.closed && !s.won)!;
const probabilityOf = new Map(STANDARD_STAGES.map((s) => [s.name, s.probability]));

// Where open "Engaging" deals stand: earlier stages hold more deals, as in any funnel.
const ENGAGING_STAGE_WEIGHTS = [0, 24, 20, 16, 13, 10, 10, 7];
// How far lost deals got before they were lost.
const LOST_STAGE_WEIGHTS = [14, 22, 20, 15, 11, 8, 6, 4];
const CALL_DISPOSITIONS_CONNECTED = ['Connected', 'Connected - Meeting Booked', 'Connected - Follow Up'];
const CALL_DISPOSITIONS_MISSED = ['No Answer', 'Left Voicemail', 'Busy', 'Wrong Number'];

interface Person {
  id: string;
  name: string;
  title: string;
  executive: boolean;
}

interface Serials {
  next(object: SfObjectName): string;
}

const serials = (): Serials => {
  const counters = new Map<SfObjectName, number>();
  return {
    next: (object) => {
      const n = (counters.get(object) ?? 0) + 1;
      counters.set(object, n);
      return makeId(KEY_PREFIX[object], n);
    },
  };
};

const isExecutiveTitle = (title: string): boolean => /chief|ceo|cfo|coo|cto|cio|cmo|president|vp|vice president|director|head of|founder/i.test(title) && !/assistant|account executive/i.test(title);

/** Generates the whole demo org. `today` fixes the date shift; the same `today` always gives the same org. */
export const generateDemoOrg = (maven: MavenData, today: Date): { org: DemoOrg; summary: DemoSummary } => {
  const ids = serials();
  const org: DemoOrg = { User: [], Account: [], Contact: [], Opportunity: [], OpportunityHistory: [], OpportunityFieldHistory: [], OpportunityContactRole: [], Task: [], Event: [], Milestone_Attestation__c: [], Rep_Scorecard__c: [], Quarterly_Review__c: [], Coaching_Plan__c: [], Team_Goal__c: [], Deal_Inspection__c: [] };

  // The data set's own "now": the last day anything in it happened.
  const dataNow = Math.max(...maven.deals.flatMap((d) => [d.closeDate, d.engageDate]).filter((d): d is string => Boolean(d)).map(dayMs));

  // ── Users: managers, reps, two SDRs who create deals for reps (the source of inherited pipeline), the integration user.
  const userIdByName = new Map<string, string>();
  const firstDealByAgent = new Map<string, number>();
  for (const d of maven.deals) {
    if (!d.engageDate) continue;
    const ms = dayMs(d.engageDate);
    if (ms < (firstDealByAgent.get(d.agent) ?? Infinity)) firstDealByAgent.set(d.agent, ms);
  }
  const managers = [...new Set(maven.teams.map((t) => t.manager))];
  for (const name of managers) {
    const r = rng(`${SEED}:user:${name}`);
    const office = maven.teams.find((t) => t.manager === name)!.office;
    const id = ids.next('User');
    userIdByName.set(name, id);
    org.User.push(userRecord(id, name, 'Regional Sales Manager', office, name, null, dayMs('2012-01-01') + r.int(0, 1200) * DAY));
  }
  for (const t of maven.teams) {
    const r = rng(`${SEED}:user:${t.agent}`);
    const id = ids.next('User');
    userIdByName.set(t.agent, id);
    const firstDeal = firstDealByAgent.get(t.agent);
    // Reps with no deals in the data are this quarter's new hires. Of the rest, some joined just before their first
    // deal (the ramp cohorts), the others long before.
    const start = firstDeal === undefined ? dataNow - r.int(20, 75) * DAY : r.chance(0.4) ? firstDeal - r.int(7, 35) * DAY : firstDeal - r.int(200, 900) * DAY;
    org.User.push(userRecord(id, t.agent, 'Account Executive', t.office, t.manager, userIdByName.get(t.manager)!, start));
  }
  const sdrs = ['Jordan Avery', 'Priya Natarajan'].map((name, i) => {
    const id = ids.next('User');
    org.User.push(userRecord(id, name, 'Sales Development Representative', 'Inside Sales', managers[i]!, userIdByName.get(managers[i]!)!, dayMs('2015-06-01') + i * 40 * DAY));
    return id;
  });
  const integrationUserId = ids.next('User');
  org.User.push(userRecord(integrationUserId, 'Stagecraft Integration', 'Integration User', null, null, null, dataNow - 30 * DAY));

  // ── Accounts and their contacts (a buying committee's worth of people with a realistic mix of titles).
  const accountIdByName = new Map<string, string>();
  const peopleByAccount = new Map<string, Person[]>();
  const agentDealsByAccount = new Map<string, Map<string, number>>();
  for (const d of maven.deals) {
    if (!d.account) continue;
    const counts = agentDealsByAccount.get(d.account) ?? new Map<string, number>();
    counts.set(d.agent, (counts.get(d.agent) ?? 0) + 1);
    agentDealsByAccount.set(d.account, counts);
  }
  for (const a of maven.accounts) accountIdByName.set(a.name, ids.next('Account'));
  for (const a of maven.accounts) {
    const id = accountIdByName.get(a.name)!;
    const topAgent = [...(agentDealsByAccount.get(a.name) ?? new Map<string, number>()).entries()].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))[0]?.[0];
    org.Account.push({
      Id: id,
      Name: a.name,
      Industry: a.sector === 'technolgy' ? 'Technology' : capitalise(a.sector),
      Type: 'Customer - Direct',
      OwnerId: topAgent ? userIdByName.get(topAgent) ?? null : null,
      ParentId: a.subsidiaryOf ? accountIdByName.get(a.subsidiaryOf) ?? null : null,
      AnnualRevenue: Math.round(a.revenueMillions * 1_000_000),
      NumberOfEmployees: a.employees,
      BillingCountry: a.office,
      CreatedDate: isoInstant(dayMs(`${a.yearEstablished < 2010 ? 2015 : 2016}-01-15`)),
    });
    const r = rng(`${SEED}:contacts:${a.name}`);
    peopleByAccount.set(id, makePeople(r, r.int(8, 16), id, a.name, ids, org));
  }

  // ── Deals.
  const agentsByManager = new Map<string, string[]>();
  for (const t of maven.teams) agentsByManager.set(t.manager, [...(agentsByManager.get(t.manager) ?? []), t.agent]);
  const managerOf = new Map(maven.teams.map((t) => [t.agent, t.manager]));
  const priceOf = new Map(maven.products.map((p) => [p.name.replace(/\s+/g, '').toLowerCase(), p.price]));

  let latestDone = 0;
  maven.deals.forEach((deal, index) => {
    const r = rng(`${SEED}:deal:${deal.id}`);
    const oppId = ids.next('Opportunity');
    const ownerId = userIdByName.get(deal.agent) ?? sdrs[0]!;
    const accountId = deal.account ? accountIdByName.get(deal.account) ?? null : null;
    const plan = planDeal(deal, r, dataNow);

    // Who created the deal: mostly the rep; an SDR or a teammate hands over the rest (inherited pipeline).
    let createdById = ownerId;
    const handover = r.next();
    if (handover < 0.18) createdById = r.pick(sdrs);
    else if (handover < 0.24) {
      const mates = (agentsByManager.get(managerOf.get(deal.agent) ?? '') ?? []).filter((a) => a !== deal.agent);
      if (mates.length) createdById = userIdByName.get(r.pick(mates))!;
    }

    // The buying committee this deal touches: won deals reach more people and more executives.
    const pool = accountId ? peopleByAccount.get(accountId)! : makePeople(r, r.int(1, 3), null, deal.account ?? 'Prospect', ids, org);
    const committee = chooseCommittee(r, pool, deal.stage);

    const price = priceOf.get(deal.product.replace(/\s+/g, '').toLowerCase()) ?? 1000;
    const amount = deal.stage === 'Won' ? deal.closeValue : Math.round(price * (0.9 + r.next() * 0.2));
    const history = stageHistory(r, oppId, plan, amount, ownerId, ids);
    org.OpportunityHistory.push(...history.rows);

    const open = deal.stage === 'Engaging' || deal.stage === 'Prospecting';
    // Next steps name the person they are with, as reps write them; the same bare phrase on many deals would read as copy-paste.
    const nextStep = open && r.chance(plan.stale ? 0.4 : 0.75) ? `${r.pick(NEXT_STEPS)}${committee[0] ? ` (${committee[0].name})` : ''}` : null;
    org.Opportunity.push({
      Id: oppId,
      Name: `${deal.account ?? 'New prospect'} – ${deal.product}`,
      AccountId: accountId,
      OwnerId: ownerId,
      CreatedById: createdById,
      StageName: plan.finalStage,
      Amount: amount,
      Probability: probabilityOf.get(plan.finalStage) ?? 0,
      CloseDate: isoDate(history.closeDate),
      CreatedDate: isoInstant(plan.createdMs),
      NextStep: nextStep,
      IsClosed: !open,
      IsWon: deal.stage === 'Won',
      LeadSource: r.pick(LEAD_SOURCES),
      Type: r.chance(0.3) ? 'Existing Customer - Upgrade' : 'New Customer',
      Description: `Maven CRM opportunity ${deal.id} (${deal.product}). Contacts, activities and stage history are [generated].`,
      Sales_Process__c: STANDARD_PROCESS,
    });

    // How closely the rep works the process on this deal: diligent deals show the evidence each gate asks for before
    // they move on. Won deals were worked more diligently than lost ones, with plenty of exceptions both ways.
    const diligence = deal.stage === 'Won' ? 0.8 : deal.stage === 'Lost' ? 0.45 : plan.stale ? 0.3 : 0.6;
    const diligent = r.chance(diligence);
    // Roles are mapped early on diligent deals (before the deal leaves Needs Analysis), any time on the others.
    const mappedBy = diligent && plan.entries[3] ? plan.entries[3].ms - DAY : plan.endMs;
    for (const role of contactRoles(r, committee, deal.stage, plan.finalStage)) {
      const at = plan.createdMs + Math.round(r.next() * Math.max(DAY, mappedBy - plan.createdMs));
      org.OpportunityContactRole.push({ Id: ids.next('OpportunityContactRole'), OpportunityId: oppId, ContactId: role.contactId, Role: role.role, IsPrimary: role.primary, CreatedDate: isoInstant(at) });
    }

    const context = { oppId, accountId, ownerId, committee, plan, deal, ids, org, index };
    let done = activities(r, context);
    done = Math.max(done, gateEvidence(r, context, diligence));
    latestDone = Math.max(latestDone, done);
  });

  // Shift every date so the latest completed activity was yesterday.
  const todayDay = Math.floor(today.getTime() / DAY);
  const offsetDays = todayDay - 1 - Math.floor(latestDone / DAY);
  shiftDates(org, offsetDays);

  const quotas = plantQuarter(org, today, ids);
  const counts = Object.fromEntries(Object.entries(org).map(([k, v]) => [k, v.length]));
  return { org, summary: { offsetDays, counts, quotas } };
};

const quarterOfMs = (ms: number): { quarter: string; startMs: number } => {
  const d = new Date(ms);
  const q = Math.floor(d.getUTCMonth() / 3);
  return { quarter: `${d.getUTCFullYear()}-Q${q + 1}`, startMs: Date.UTC(d.getUTCFullYear(), q * 3, 1) };
};

/**
 * The quarter in progress: a quota per rep (generated from their own last year, so attainment is plausible) and a
 * draft quarterly review with objectives, two of them tied to measured signals.
 */
const plantQuarter = (org: DemoOrg, today: Date, ids: Serials): DemoSummary['quotas'] => {
  const current = quarterOfMs(today.getTime());
  const previous = quarterOfMs(current.startMs - DAY);
  const yearAgo = current.startMs - 365 * DAY;
  const quotas: DemoSummary['quotas'] = [];
  for (const rep of org.User.filter((u) => u.Title === 'Account Executive')) {
    const won = org.Opportunity.filter((o) => o.OwnerId === rep.Id && o.IsWon && dayMs(String(o.CloseDate)) >= yearAgo && dayMs(String(o.CloseDate)) < current.startMs).reduce((sum, o) => sum + Number(o.Amount ?? 0), 0);
    const quota = Math.max(10_000, Math.round((won / 4) * 1.1 / 1000) * 1000);
    for (const q of [previous.quarter, current.quarter]) quotas.push({ user: String(rep.Email), quarter: q, quota });
    org.Quarterly_Review__c.push({
      Id: ids.next('Quarterly_Review__c'), Name: `${rep.Name} — ${current.quarter}`, Review_Key__c: `${rep.Id}:${current.quarter}`, Rep__c: rep.Id, Quarter__c: current.quarter, Status__c: 'Draft',
      Objectives__c: JSON.stringify([
        { text: '[generated] Keep at least 70 % of active deals multi-threaded', signal: 'multiThreadedShare', target: 70 },
        { text: '[generated] Engage an executive on most mid-stage deals', signal: 'executiveDealShare', target: 60 },
        { text: '[generated] Map the buying committee before proposing', signal: null, target: null },
      ]),
      CreatedDate: isoInstant(current.startMs + 2 * DAY),
    });
  }
  return quotas;
};

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

const userRecord = (id: string, name: string, title: string, division: string | null, team: string | null, managerId: string | null, startMs: number): SfRecord => {
  const [first, ...rest] = name.split(' ');
  return {
    Id: id,
    Name: name,
    FirstName: first ?? null,
    LastName: rest.join(' ') || name,
    Email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@stagecraft-demo.example`,
    Title: title,
    Department: team,
    Division: division,
    ManagerId: managerId,
    IsActive: true,
    CreatedDate: isoInstant(startMs),
  };
};

const makePeople = (r: Rng, count: number, accountId: string | null, company: string, ids: Serials, org: DemoOrg): Person[] => {
  const domain = `${company.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`;
  const people: Person[] = [];
  for (let i = 0; i < count; i++) {
    const first = r.pick(FIRST_NAMES);
    const last = r.pick(LAST_NAMES);
    // One in twenty contacts has no title at all, as in any real org.
    const title = r.chance(0.05) ? '' : r.weighted(CONTACT_TITLES.map((t) => t.title), CONTACT_TITLES.map((t) => t.weight));
    const id = ids.next('Contact');
    org.Contact.push({
      Id: id,
      AccountId: accountId,
      FirstName: first,
      LastName: last,
      Name: `${first} ${last}`,
      Title: title || null,
      Department: CONTACT_TITLES.find((t) => t.title === title)?.department ?? null,
      Email: `${first}.${last}@${domain}`.toLowerCase(),
      CreatedDate: null,
    });
    people.push({ id, name: `${first} ${last}`, title, executive: isExecutiveTitle(title) });
  }
  return people;
};

const chooseCommittee = (r: Rng, pool: Person[], outcome: MavenDeal['stage']): Person[] => {
  const size = Math.min(pool.length, outcome === 'Won' ? r.int(2, 6) : outcome === 'Lost' ? r.int(1, 4) : r.int(1, 5));
  const execChance = outcome === 'Won' ? 0.75 : outcome === 'Lost' ? 0.35 : 0.5;
  const shuffled = r.shuffle(pool);
  const committee = shuffled.filter((p) => !p.executive).slice(0, size);
  const exec = shuffled.find((p) => p.executive);
  if (exec && r.chance(execChance)) {
    if (committee.length >= size) committee[committee.length - 1] = exec;
    else committee.push(exec);
  }
  return committee.length ? committee : shuffled.slice(0, 1);
};

interface DealPlan {
  createdMs: number;
  /** Stage entries in order, ending with the current (or closing) stage. */
  entries: { stage: string; ms: number }[];
  finalStage: string;
  /** When the deal's life ends: close for closed deals, the data set's now for open ones. */
  endMs: number;
  closeMs: number | null;
  /** An open deal nobody has worked lately. */
  stale: boolean;
}

/** The path a deal took through the standard process, spread over its real engage → close dates. */
const planDeal = (deal: MavenDeal, r: Rng, dataNow: number): DealPlan => {
  if (deal.stage === 'Prospecting' || !deal.engageDate) {
    const createdMs = dataNow - r.int(0, 45) * DAY - r.int(8, 17) * 3_600_000;
    return { createdMs, entries: [{ stage: 'Prospecting', ms: createdMs }], finalStage: 'Prospecting', endMs: dataNow, closeMs: null, stale: r.chance(0.3) };
  }
  const engageMs = dayMs(deal.engageDate) + r.int(8, 17) * 3_600_000;
  const createdMs = engageMs - r.int(1, 14) * DAY;
  const closeMs = deal.closeDate ? dayMs(deal.closeDate) + r.int(9, 18) * 3_600_000 : null;
  let lastIndex: number;
  if (deal.stage === 'Won') lastIndex = 7;
  else if (deal.stage === 'Lost') lastIndex = STANDARD_OPEN_STAGES.indexOf(r.weighted(STANDARD_OPEN_STAGES, LOST_STAGE_WEIGHTS));
  else lastIndex = STANDARD_OPEN_STAGES.indexOf(r.weighted(STANDARD_OPEN_STAGES, ENGAGING_STAGE_WEIGHTS));
  lastIndex = Math.max(1, lastIndex);

  // Stages visited: Prospecting at creation, Qualification on the engage date, then onward; some stages are skipped.
  const visited = ['Prospecting', 'Qualification'];
  for (let i = 2; i <= lastIndex; i++) if (i === lastIndex || !r.chance(0.12)) visited.push(STANDARD_OPEN_STAGES[i]!);
  const endMs = closeMs ?? dataNow;
  // Open deals spend a share of their life in the current stage (long for stale ones).
  const stale = closeMs === null && r.chance(0.35);
  const span = Math.max(DAY, endMs - engageMs);
  // A live deal entered its current stage recently (days to a few weeks); a stale one has sat there for most of its life.
  const currentDays = closeMs === null ? (stale ? span * (0.5 + r.next() * 0.4) : Math.min(span * 0.8, r.logNormal(9, 0.7) * DAY)) : 0;
  const advanceSpan = span - currentDays;
  const weights = visited.slice(2).map(() => 0.5 + r.next());
  const total = weights.reduce((s, w) => s + w, 0) + (closeMs ? 0.5 + r.next() : 0);
  const entries = [{ stage: 'Prospecting', ms: createdMs }, { stage: 'Qualification', ms: engageMs }];
  let at = engageMs;
  visited.slice(2).forEach((stage, i) => {
    at += (advanceSpan * weights[i]!) / total;
    entries.push({ stage, ms: Math.round(at) });
  });
  let finalStage = visited[visited.length - 1]!;
  if (closeMs) {
    finalStage = deal.stage === 'Won' ? CLOSED_WON.name : CLOSED_LOST.name;
    entries.push({ stage: finalStage, ms: closeMs });
  }
  return { createdMs, entries, finalStage, endMs, closeMs, stale };
};

/**
 * OpportunityHistory rows: one per stage entry, plus rows that repeat the stage when the amount or close date moved
 * (as Salesforce writes them), a few deals that went back a stage and re-entered, and open deals whose close date slipped.
 */
const stageHistory = (r: Rng, oppId: string, plan: DealPlan, amount: number, ownerId: string, ids: Serials): { rows: SfRecord[]; closeDate: number } => {
  const rows: SfRecord[] = [];
  let closeDate = plan.closeMs ?? plan.endMs + r.int(14, 90) * DAY;
  // A slipped deal first promised an earlier close.
  const slips = plan.closeMs === null && r.chance(0.3) ? r.int(1, 3) : 0;
  let promised = slips ? closeDate - slips * r.int(14, 30) * DAY : closeDate;
  const push = (stage: string, ms: number): void => {
    rows.push({
      Id: ids.next('OpportunityHistory'), OpportunityId: oppId, StageName: stage, CreatedDate: isoInstant(ms), CreatedById: ownerId,
      Amount: amount, Probability: probabilityOf.get(stage) ?? 0, CloseDate: isoDate(stage.startsWith('Closed') ? ms : promised), ForecastCategory: forecastOf(stage),
    });
  };
  const reentry = plan.entries.length > 3 && r.chance(0.06) ? r.int(2, plan.entries.length - 2) : -1;
  plan.entries.forEach((entry, i) => {
    push(entry.stage, entry.ms);
    const next = plan.entries[i + 1]?.ms ?? plan.endMs;
    if (i === reentry && next - entry.ms > 4 * DAY) {
      // Went back a stage for a while, then re-entered this one.
      const back = entry.ms + Math.round((next - entry.ms) * 0.3);
      push(plan.entries[i - 1]!.stage, back);
      push(entry.stage, entry.ms + Math.round((next - entry.ms) * 0.6));
    } else if (next - entry.ms > 2 * DAY && r.chance(0.3)) {
      push(entry.stage, entry.ms + Math.round((next - entry.ms) * r.next()));
    }
  });
  // Each slip is a row in the current stage with the close date pushed out.
  const current = plan.entries[plan.entries.length - 1]!;
  for (let s = 0; s < slips; s++) {
    promised += Math.round((closeDate - promised) / (slips - s));
    const at = current.ms + Math.round(((plan.endMs - current.ms) * (s + 1)) / (slips + 1));
    push(current.stage, at);
  }
  closeDate = plan.closeMs ?? promised;
  rows.sort((a, b) => String(a.CreatedDate).localeCompare(String(b.CreatedDate)));
  return { rows, closeDate };
};

const forecastOf = (stage: string): string =>
  stage === 'Closed Won' ? 'Closed' : stage === 'Closed Lost' ? 'Omitted' : (probabilityOf.get(stage) ?? 0) >= 70 ? 'Commit' : (probabilityOf.get(stage) ?? 0) >= 50 ? 'BestCase' : 'Pipeline';

const contactRoles = (r: Rng, committee: Person[], outcome: MavenDeal['stage'], stage: string): { contactId: string; role: string; primary: boolean }[] => {
  const depth = STANDARD_OPEN_STAGES.indexOf(stage);
  const count = outcome === 'Won' ? r.int(2, 4) : outcome === 'Lost' ? r.int(0, 2) : Math.min(3, r.int(0, 1 + Math.max(0, depth) / 3));
  return committee.slice(0, count).map((person, i) => ({
    contactId: person.id,
    role: person.executive && r.chance(0.7) ? r.pick(['Economic Buyer', 'Decision Maker', 'Executive Sponsor']) : r.pick(CONTACT_ROLES),
    primary: i === 0,
  }));
};

interface ActivityContext {
  oppId: string;
  accountId: string | null;
  ownerId: string;
  committee: Person[];
  plan: DealPlan;
  deal: MavenDeal;
  ids: Serials;
  org: DemoOrg;
  index: number;
}

/** Calls, emails, meetings and tasks over the deal's life; returns the latest completed activity's time. */
const activities = (r: Rng, c: ActivityContext): number => {
  const { plan, committee } = c;
  const weeklyRate = c.deal.stage === 'Won' ? 1.7 : c.deal.stage === 'Lost' ? 0.9 : plan.stale ? 0.6 : 1.4;
  let latest = 0;
  let total = 0;
  for (let week = plan.createdMs; week < plan.endMs && total < 45; week += 7 * DAY) {
    // Stale open deals go quiet: almost nothing in their last two months.
    const quiet = plan.stale && plan.endMs - week < 60 * DAY;
    const n = r.poisson(quiet ? 0.05 : weeklyRate);
    for (let k = 0; k < n; k++) {
      const ms = Math.min(plan.endMs, week + r.int(0, 6) * DAY + r.int(8, 17) * 3_600_000 + r.int(0, 59) * 60_000);
      if (ms < plan.createdMs) continue;
      // Engagement drifts toward the champion (first in the committee) but reaches others too.
      const who = committee.length && r.chance(0.93) ? (r.chance(0.45) ? committee[0]! : r.pick(committee)) : null;
      latest = Math.max(latest, logActivity(r, c, ms, who, 'done'));
      total++;
    }
  }
  const open = c.deal.stage === 'Engaging' || c.deal.stage === 'Prospecting';
  if (open) {
    // The plan ahead: a follow-up task or a meeting on the calendar for most live deals; some overdue tasks.
    const who = committee.length ? r.pick(committee) : null;
    if (r.chance(plan.stale ? 0.25 : 0.65)) logActivity(r, c, plan.endMs + r.int(1, 14) * DAY, who, 'open', 'task');
    if (r.chance(plan.stale ? 0.05 : 0.25)) logActivity(r, c, plan.endMs + r.int(1, 21) * DAY + r.int(9, 16) * 3_600_000, who, 'open', 'meeting');
    if (r.chance(0.15)) logActivity(r, c, plan.endMs - r.int(1, 20) * DAY, who, 'open', 'task');
  } else if (r.chance(0.03)) {
    // Real orgs keep open tasks on closed deals; the data-quality summary counts them.
    logActivity(r, c, (plan.closeMs ?? plan.endMs) + r.int(1, 10) * DAY, committee[0] ?? null, 'open', 'task');
  }
  return latest;
};

/**
 * Before each forward move, a diligent rep shows what the stage's exit gate asks for: a meeting with one or two people
 * on the buying committee (an executive among them from the mid stages on) and a real conversation on the phone; and,
 * for what data cannot show, an attestation with a note. Each move is worked with the deal's diligence as probability.
 */
const gateEvidence = (r: Rng, c: ActivityContext, diligence: number): number => {
  let latest = 0;
  const executive = c.committee.find((p) => p.executive);
  const entries = c.plan.entries;
  for (let i = 0; i + 1 < entries.length; i++) {
    if (!r.chance(diligence)) continue;
    const from = entries[i]!;
    const leaveAt = entries[i + 1]!.ms;
    const room = Math.max(DAY, Math.min(10 * DAY, leaveAt - from.ms));
    const people = c.committee.length ? [r.pick(c.committee)] : [];
    const depth = STANDARD_OPEN_STAGES.indexOf(from.stage);
    if (executive && depth >= 2 && r.chance(0.85)) people.push(executive);
    if (people.length && depth >= 1) latest = Math.max(latest, logActivity(r, c, leaveAt - Math.round(r.next() * room), people[people.length - 1]!, 'done', 'meeting'));
    latest = Math.max(latest, logActivity(r, c, leaveAt - Math.round(r.next() * room), people[0] ?? null, 'done', 'connected call'));
    if (depth === 1 || depth === 7) {
      const key = depth === 1 ? 'key_metrics_understood' : 'close_plan_agreed';
      const note = depth === 1 ? 'Their targets for the year: cut unplanned downtime and hardware spend per seat.' : 'Procurement and legal review agreed; signature planned before quarter end.';
      c.org.Milestone_Attestation__c.push({ Id: c.ids.next('Milestone_Attestation__c'), Opportunity__c: c.oppId, Milestone_Key__c: key, Note__c: `[generated] ${note}`, CreatedById: c.ownerId, CreatedDate: isoInstant(leaveAt - Math.round(r.next() * room)) });
    }
  }
  return latest;
};

const logActivity = (r: Rng, c: ActivityContext, ms: number, who: Person | null, status: 'open' | 'done', forced?: 'task' | 'meeting' | 'connected call'): number => {
  const kind = forced === 'connected call' ? 'call' : forced ?? r.weighted(['call', 'email', 'meeting', 'task'] as const, [40, 30, 20, 10]);
  const subject = `[generated] ${r.pick(SUBJECTS[kind])}`;
  if (kind === 'meeting') {
    const start = Math.floor(ms / (30 * 60_000)) * 30 * 60_000;
    c.org.Event.push({
      Id: c.ids.next('Event'), Subject: subject, WhoId: who?.id ?? null, WhatId: c.oppId, AccountId: c.accountId, OwnerId: c.ownerId,
      ActivityDateTime: isoInstant(start), ActivityDate: isoDate(start), DurationInMinutes: r.pick([30, 30, 45, 60]), Type: 'Meeting',
      Description: null, CreatedDate: isoInstant(start - r.int(1, 10) * DAY),
    });
    return status === 'done' ? start : 0;
  }
  let duration: number | null = null;
  let disposition: string | null = null;
  if (kind === 'call' && status === 'done') {
    const connected = forced === 'connected call' || r.chance(0.55);
    disposition = r.pick(connected ? CALL_DISPOSITIONS_CONNECTED : CALL_DISPOSITIONS_MISSED);
    duration = connected ? Math.max(forced ? 150 : 0, Math.round(r.logNormal(360, 0.8))) : r.int(0, 35);
  }
  c.org.Task.push({
    Id: c.ids.next('Task'), Subject: subject, WhoId: who?.id ?? null, WhatId: c.oppId, AccountId: c.accountId, OwnerId: c.ownerId,
    ActivityDate: isoDate(ms), Status: status === 'done' ? 'Completed' : 'Not Started', IsClosed: status === 'done',
    TaskSubtype: kind === 'call' ? 'Call' : kind === 'email' ? 'Email' : 'Task', Type: kind === 'call' ? 'Call' : kind === 'email' ? 'Email' : 'Other',
    CallDurationInSeconds: duration, CallDisposition: disposition, CallType: kind === 'call' ? 'Outbound' : null,
    Description: null, CreatedDate: isoInstant(status === 'done' ? ms : ms - r.int(1, 7) * DAY),
  });
  return status === 'done' ? ms : 0;
};

const DATE_FIELDS = new Set(['CloseDate', 'ActivityDate']);
const INSTANT_FIELDS = new Set(['CreatedDate', 'ActivityDateTime']);

const shiftDates = (org: DemoOrg, offsetDays: number): void => {
  const offset = offsetDays * DAY;
  for (const records of Object.values(org)) {
    for (const record of records) {
      for (const [field, value] of Object.entries(record)) {
        if (typeof value !== 'string') continue;
        if (DATE_FIELDS.has(field)) record[field] = isoDate(dayMs(value) + offset);
        else if (INSTANT_FIELDS.has(field)) record[field] = isoInstant(Date.parse(value) + offset);
      }
    }
  }
};
