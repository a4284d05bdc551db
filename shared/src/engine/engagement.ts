// Who the rep is actually talking to on a deal: distinct contacts on completed activities in a window up to asOf,
// and whether any of them is an executive. A planned activity is not engagement; an open task is a plan.
import type { IndexedActivity } from './org-index.ts';
import { dayOfMs } from './time.ts';

export const DEFAULT_ENGAGEMENT_WINDOW_DAYS = 30;

/**
 * Held by asOf: a meeting whose time has come, or a task / call / email marked done. A task has only a date, so it
 * counts through asOf's whole day; anything with a time must not be later than asOf itself. A record created after
 * asOf did not exist yet (a call logged later), so it never counts: a backtest sees only what was there.
 */
export const wasHeld = (a: IndexedActivity, asOfMs: number): boolean =>
  a.createdMs <= asOfMs &&
  (a.dateOnly ? a.day <= dayOfMs(asOfMs) : a.ms <= asOfMs) && (a.activity.kind === 'meeting' || a.activity.status === 'done');

/** Dated in [asOf − window, asOf], in whole UTC calendar days (day 30 back is in, day 31 is out, tomorrow is out). */
export const inWindow = (a: IndexedActivity, asOfDay: number, windowDays: number): boolean =>
  a.day >= asOfDay - windowDays && a.day <= asOfDay;

export interface EngagedContact {
  contactId: string;
  /** Most recent engagement in the window (epoch ms) and the activity behind it. */
  lastMs: number;
  activityId: string;
  activity: IndexedActivity;
}

/** Distinct contacts engaged on the deal in the window, most recently engaged first. */
export const engagedContacts = (
  activities: readonly IndexedActivity[],
  asOfMs: number,
  windowDays: number = DEFAULT_ENGAGEMENT_WINDOW_DAYS,
): EngagedContact[] => {
  const asOfDay = dayOfMs(asOfMs);
  const byContact = new Map<string, EngagedContact>();
  for (const a of activities) {
    if (!inWindow(a, asOfDay, windowDays) || !wasHeld(a, asOfMs)) continue;
    for (const contactId of a.activity.contactIds) {
      const seen = byContact.get(contactId);
      // Ties go to the smaller id, so the answer never depends on the order records arrived in.
      if (!seen || a.ms > seen.lastMs || (a.ms === seen.lastMs && a.activity.id < seen.activityId)) byContact.set(contactId, { contactId, lastMs: a.ms, activityId: a.activity.id, activity: a });
    }
  }
  return [...byContact.values()].sort((x, y) => y.lastMs - x.lastMs || x.contactId.localeCompare(y.contactId));
};

/**
 * Scheduled after asOf and not yet done. A task carries only a due date, so one due on asOf's own day is still ahead;
 * a meeting has a time and must start after asOf.
 */
export const isScheduledAfter = (a: IndexedActivity, asOfMs: number): boolean => {
  // Planned after asOf does not count: in a backtest, a task created next week was not on the calendar yet.
  if (a.createdMs > asOfMs) return false;
  if (a.activity.kind === 'meeting') return a.ms > asOfMs;
  return a.activity.status === 'open' && (a.dateOnly ? a.day >= dayOfMs(asOfMs) : a.ms > asOfMs);
};

/** Next step set: the NextStep text says what happens next, and an activity is on the calendar to make it happen. */
export const nextStepSet = (nextStep: string | null | undefined, activities: readonly IndexedActivity[], asOfMs: number): boolean =>
  Boolean(nextStep?.trim()) && activities.some((a) => isScheduledAfter(a, asOfMs));
