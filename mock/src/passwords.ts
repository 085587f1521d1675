// Salted password hashing with scrypt and a constant-time comparison.
//
// The cost is N = 2^10 (r 8, p 1), about 2 ms per hash: the mock guards throw-away test accounts,
// not real secrets, and a conformance run hashes close to 300 times (sign-ups, log-ins, password
// changes), so at 2^12 (about 9 ms each) hashing alone cost the run some 2.5 s of CPU. The parameters
// are stored in each hash, so hashes made with another cost stay verifiable.

import { randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const PARAMS = { N: 2 ** 10, r: 8, p: 1 };
const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function encode(salt: Buffer, key: Buffer): string {
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  return encode(salt, await scryptAsync(password, salt, PARAMS));
}

/** Synchronous variant, used once per seeded customer when the server is built. */
export function hashPasswordSync(password: string): string {
  const salt = randomBytes(16);
  return encode(salt, scryptSync(password, salt, KEY_LENGTH, PARAMS));
}

// A hash of a random password, compared against when the account does not exist, so that an unknown
// email takes as long as a wrong password.
const DECOY_HASH = hashPasswordSync(randomBytes(12).toString('base64url'));

export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const parts = (stored ?? DECOY_HASH).split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltText, keyText] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(keyText, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(saltText, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  const same = expected.length === actual.length && timingSafeEqual(expected, actual);
  return same && stored !== null && stored !== undefined;
}
