// Grouping records into lists by a key: the engine does it for deals, reps and activities alike.

/** Appends `value` to the list at `key`, creating the list on first use. */
export const pushTo = <K, V>(map: Map<K, V[]>, key: K, value: V): void => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

/** Items grouped by key; items whose key is empty are left out. */
export const groupBy = <T>(items: readonly T[], key: (t: T) => string | null | undefined): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k) pushTo(groups, k, item);
  }
  return groups;
};
