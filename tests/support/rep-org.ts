// A small org of reps for scoring tests: each rep's behaviour is described, the records are built from it.
import type { Activity, Contact, Opportunity, OrgSnapshot, StageHistoryEntry, User } from '../../shared/src/model.ts';

export const AS_OF = '2026-06-30T12:00:00.000Z';
const DAY = 86_400_000;
const at = (daysAgo: number): string => new Date(Date.parse(AS_OF) - daysAgo * DAY).toISOString();

export interface RepSpec {
  id: string;
  managerId?: string;
  segment?: string;
  /** Meaningful (connected, 5-minute) calls per week over the last 16 weeks; `recentCalls` overrides the last 4. */
  calls: number;
  recentCalls?: number;
  /** Meaningful calls in each of the last weeks, the week ending at AS_OF first: overrides `calls` for those weeks. */
  weeklyCalls?: number[];
  /** Zero-second calls a week over the last 4 weeks, logged in bursts of 10 on one day (dialling for the count). */
  zeroSecondCalls?: number;
  /** Closed deals in the last year and how many were won. */
  closed: number;
  won: number;
  /** Open deals; how many were created by someone else. */
  open: number;
  inherited?: number;
  /** Contacts engaged per open deal, and whether one is an executive. */
  threads?: number;
  executive?: boolean;
  /** Open deals jumped from Qualification straight to Value Proposition 20 days ago, skipping the gates between. */
  skippedGates?: boolean;
}

export const buildRepOrg = (specs: RepSpec[], extra: { managers?: User[] } = {}): OrgSnapshot => {
  const users: User[] = [...(extra.managers ?? []), ...specs.map((s) => ({ id: s.id, name: `Rep ${s.id}`, role: 'Account Executive', segment: s.segment ?? 'Central', managerId: s.managerId ?? 'M1', isActive: true, startDate: '2024-01-01' }))];
  const contacts: Contact[] = [
    { id: 'C-exec', name: 'Dana Ruiz', title: 'VP Finance', accountId: 'A1' },
    ...[1, 2, 3, 4].map((i) => ({ id: `C${i}`, name: `Contact ${i}`, title: 'Analyst', accountId: 'A1' })),
  ];
  const opportunities: Opportunity[] = [];
  const activities: Activity[] = [];
  const stageHistory: StageHistoryEntry[] = [];
  for (const s of specs) {
    for (let i = 0; i < s.closed; i++) {
      const id = `${s.id}-closed-${i}`;
      opportunities.push({ id, name: id, accountId: 'A1', ownerId: s.id, createdById: s.id, stage: i < s.won ? 'Closed Won' : 'Closed Lost', createdDate: at(300), closeDate: at(30 + i).slice(0, 10), isClosed: true, isWon: i < s.won, amount: 1000 });
    }
    for (let i = 0; i < s.open; i++) {
      const id = `${s.id}-open-${i}`;
      opportunities.push({ id, name: id, accountId: 'A1', ownerId: s.id, createdById: i < (s.inherited ?? 0) ? 'SDR' : s.id, stage: 'Value Proposition', createdDate: at(60 + i), closeDate: at(-60).slice(0, 10), isClosed: false, isWon: false, amount: 5000, nextStep: 'Review the business case' });
      if (s.skippedGates) stageHistory.push({ id: `${id}-h0`, opportunityId: id, stage: 'Qualification', createdDate: at(40) });
      stageHistory.push({ id: `${id}-h1`, opportunityId: id, stage: 'Value Proposition', createdDate: at(20) });
      const people = [...Array(s.threads ?? 2).keys()].map((k) => `C${k + 1}`);
      if (s.executive) people.push('C-exec');
      people.forEach((contact, k) => activities.push({ id: `${id}-m${k}`, kind: 'meeting', date: at(3 + k), opportunityId: id, ownerId: s.id, contactIds: [contact], status: 'done' }));
    }
    // Calls spread over 16 weeks, on the rep's first open deal.
    const target = `${s.id}-open-0`;
    for (let week = 0; week < 16; week++) {
      const perWeek = s.weeklyCalls?.[week] ?? (week < 4 ? s.recentCalls ?? s.calls : s.calls);
      for (let c = 0; c < perWeek; c++) activities.push({ id: `${s.id}-call-${week}-${c}`, kind: 'call', date: at(week * 7 + (c % 7)).slice(0, 10), opportunityId: target, ownerId: s.id, contactIds: ['C1'], status: 'done', callConnected: true, callDurationSeconds: 300 });
      if (week < 4) {
        for (let c = 0; c < (s.zeroSecondCalls ?? 0); c++) activities.push({ id: `${s.id}-zero-${week}-${c}`, kind: 'call', date: at(week * 7 + 1 + Math.floor(c / 10)).slice(0, 10), opportunityId: target, ownerId: s.id, contactIds: ['C1'], status: 'done', callConnected: true, callDurationSeconds: 0 });
      }
    }
  }
  return { users, accounts: [], contacts, opportunities, stageHistory, contactRoles: [], activities, attestations: [] };
};
