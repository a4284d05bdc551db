// CRM credentials at rest: AES-256-GCM under STAGECRAFT_SECRET_KEY. The variable holds the current key, optionally
// followed by older ones (`new,old`): the first encrypts, any of them decrypts — each ciphertext names its key by id,
// so `stagecraft tenant rotate` can find what is still under an old key and re-encrypt it. A key is 32 bytes, given as
// 64 hex characters or base64; anything else is refused (a passphrase would need a KDF and its own parameters).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { AppError } from './errors.ts';

export interface SecretKey {
  id: string;
  key: Buffer;
}

const parseKey = (text: string): Buffer => {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new AppError('configuration', 'configuration: STAGECRAFT_SECRET_KEY must be 32 bytes, as 64 hex characters or base64 (e.g. `openssl rand -hex 32`); several keys are comma-separated, the current first');
  return key;
};

/** A key's id: a short hash of it, never the key itself. */
export const keyId = (key: Buffer): string => createHash('sha256').update(key).digest('hex').slice(0, 12);

/** The keys in STAGECRAFT_SECRET_KEY, the current (encrypting) one first. */
export const parseSecretKeys = (value: string | null | undefined): SecretKey[] => {
  if (!value) throw new AppError('configuration', 'configuration: STAGECRAFT_SECRET_KEY is required with DATABASE_URL (it encrypts the tenants\' CRM credentials)');
  return value.split(',').filter((s) => s.trim()).map((s) => {
    const key = parseKey(s);
    return { id: keyId(key), key };
  });
};

export interface Sealed {
  keyId: string;
  /** base64 of iv (12) ‖ tag (16) ‖ ciphertext. */
  data: string;
}

export const seal = (keys: readonly SecretKey[], plaintext: string, aad: string): Sealed => {
  const current = keys[0]!;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', current.key, iv);
  // The tenant id is bound as associated data: a ciphertext copied onto another tenant's row does not decrypt.
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { keyId: current.id, data: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64') };
};

export const unseal = (keys: readonly SecretKey[], sealed: Sealed, aad: string): string => {
  const key = keys.find((k) => k.id === sealed.keyId);
  if (!key) throw new AppError('configuration', `credentials are encrypted under key ${sealed.keyId}, which STAGECRAFT_SECRET_KEY does not hold (add the old key after the new one, comma-separated, then run \`stagecraft tenant rotate\`)`);
  const raw = Buffer.from(sealed.data, 'base64');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch (error) {
    throw new AppError('configuration', `the stored credentials of ${aad} do not decrypt under key ${sealed.keyId} (tampered with, or the wrong key)`, { cause: error });
  }
};
