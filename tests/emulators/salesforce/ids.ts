// Salesforce record ids: 3-character key prefix + 12 base-62 characters, plus the 3-character case-safe suffix
// that makes the 18-character form (computed as Salesforce documents it, from the upper-case positions).

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 3-character suffix that turns a 15-character id into its 18-character form. */
export const caseSafeSuffix = (id15: string): string => {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return suffix;
};

/** 15 or 18 characters of [0-9A-Za-z] → the 18-character form; anything else → undefined. */
export const to18 = (id: string): string | undefined => {
  if (!/^[0-9A-Za-z]{15}([0-9A-Za-z]{3})?$/.test(id)) return undefined;
  const id15 = id.slice(0, 15);
  return id15 + caseSafeSuffix(id15);
};

/** Issues ids per key prefix, sequentially, so runs are reproducible. "Ws0" stands in for the pod/reserved chars. */
export class IdFactory {
  private next = new Map<string, number>();
  make(prefix: string): string {
    const n = (this.next.get(prefix) ?? 0) + 1;
    this.next.set(prefix, n);
    let body = '';
    let v = n;
    for (let i = 0; i < 9; i++) {
      body = BASE62[v % 62] + body;
      v = Math.floor(v / 62);
    }
    const id15 = `${prefix}Ws0${body}`;
    return id15 + caseSafeSuffix(id15);
  }
}
