// Real CRM data is dirty. Nothing here throws on it: what cannot be used is skipped and counted by kind, and the
// sync prints the counts so an admin knows what to clean up.

export type DataQuality = Map<string, number>;

export const newDataQuality = (): DataQuality => new Map();

export const note = (dq: DataQuality, kind: string, count = 1): void => {
  dq.set(kind, (dq.get(kind) ?? 0) + count);
};

export const mergeDataQuality = (into: DataQuality, from: DataQuality): DataQuality => {
  for (const [kind, n] of from) note(into, kind, n);
  return into;
};

/** Sorted lines, largest first: "412 activities without a contact". */
export const describeDataQuality = (dq: DataQuality): string[] =>
  [...dq.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([kind, n]) => `${n.toLocaleString('en-US')} ${kind}`);
