// Salesforce record ids: 15 characters case-sensitive, or 18 with a case-safe checksum suffix. Compare on 18.

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID_SHAPE = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** The 18-character form of a 15- or 18-character id; anything else is returned unchanged. */
export const to18 = (id: string): string => {
  if (id.length !== 15 || !ID_SHAPE.test(id)) return id;
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return id + suffix;
};

/** A well-formed 18-character id for generated records: key prefix + a base-62 serial + checksum. */
export const makeId = (prefix: string, serial: number): string => {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let body = '';
  let n = serial;
  do {
    body = alphabet[n % 62] + body;
    n = Math.floor(n / 62);
  } while (n > 0);
  return to18(prefix + body.padStart(12, '0'));
};
