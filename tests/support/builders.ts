// Test data builders: sensible defaults, override what the test is about (`buildDeal({ stage: 'Proposal/Price Quote' })`).
import type { Activity, Contact, ContactRole, Opportunity, OrgSnapshot, StageHistoryEntry, User } from '../../shared/src/model.ts';
import { emptySnapshot } from '../../shared/src/model.ts';

let serial = 0;
const nextId = (prefix: string): string => `${prefix}${String(++serial).padStart(12, '0')}AAA`;

export const AS_OF = '2026-03-31T12:00:00.000Z';

/** An ISO instant `days` whole days before AS_OF (negative: after), at the same time of day unless `time` is given. */
export const daysBefore = (days: number, time?: string): string => {
  const d = new Date(Date.parse(AS_OF) - days * 86_400_000);
  return time ? `${d.toISOString().slice(0, 10)}T${time}Z` : d.toISOString();
};
export const dateBefore = (days: number): string => daysBefore(days).slice(0, 10);

export const buildUser = (o: Partial<User> = {}): User => ({ id: nextId('005'), name: 'Rep One', isActive: true, ...o });

export const buildContact = (o: Partial<Contact> = {}): Contact => ({ id: nextId('003'), name: 'Dana Ruiz', title: 'IT Manager', ...o });

export const buildDeal = (o: Partial<Opportunity> = {}): Opportunity => ({
  id: nextId('006'),
  name: 'Acme – GTX Pro',
  stage: 'Needs Analysis',
  createdDate: daysBefore(60),
  isClosed: false,
  isWon: false,
  ownerId: '005000000000001AAA',
  ...o,
});

export const buildActivity = (o: Partial<Activity> & Pick<Activity, 'opportunityId'>): Activity => ({
  id: nextId('00T'),
  kind: 'call',
  date: dateBefore(1),
  contactIds: [],
  status: 'done',
  ...o,
});

export const buildHistory = (opportunityId: string, stage: string, createdDate: string): StageHistoryEntry => ({ id: nextId('008'), opportunityId, stage, createdDate });

export const buildRole = (opportunityId: string, contactId: string, role = 'Decision Maker'): ContactRole => ({ id: nextId('00K'), opportunityId, contactId, role, isPrimary: false });

export const buildSnapshot = (o: Partial<OrgSnapshot> = {}): OrgSnapshot => ({ ...emptySnapshot(), ...o });
