// The lifetime checks on their own: what a tenant owes (whole seconds, plausible, stable per kind)
// fails in every profile; the tutorial's numbers fail in strict and only warn in documented.
import { expect, test } from '@playwright/test';
import {
  checkLifetimeInteger,
  checkLifetimeSeconds,
  checkLifetimeTutorialValue,
  forgetLearnedLifetimes,
  learnedLifetimes,
  validateExpiresIn,
  validateRemainingLifetime,
} from '../helpers/checks/auth.ts';
import { FindingError, setProfile } from '../helpers/findings.ts';

const LOGIN = 'POST /customer/{tenant}/login';

test.describe('token lifetimes @offline', () => {
  test.beforeEach(() => forgetLearnedLifetimes());
  test.afterEach(() => setProfile(undefined));

  test("passes the vendor's 2026 example (14399 s token, 15551999 s refresh token) in documented", () => {
    setProfile('documented');
    expect(validateExpiresIn(LOGIN, 'expires_in', 14399, 'customerAccess')).toBe(14399);
    expect(validateExpiresIn(LOGIN, 'refresh_token_expires_in', 15551999, 'customerRefresh')).toBe(15551999);
    const warnings = test
      .info()
      .annotations.filter((a) => a.type === 'warning: token.lifetime.tutorial-value');
    expect(warnings).toHaveLength(2);
  });

  test("fails the same example in strict, naming the tutorial's value", () => {
    setProfile('strict');
    expect(() => validateExpiresIn(LOGIN, 'expires_in', 14399, 'customerAccess')).toThrow(
      /token\.lifetime\.tutorial-value, F.*about 2591999 s/,
    );
  });

  test('fails milliseconds in both profiles, saying so', () => {
    for (const profile of ['strict', 'documented'] as const) {
      setProfile(profile);
      forgetLearnedLifetimes();
      expect(() => validateExpiresIn(LOGIN, 'expires_in', 2591999000, 'customerAccess')).toThrow(
        /token\.lifetime\.seconds, T.*looks like milliseconds/,
      );
    }
  });

  test('fails a fraction or a string as a lifetime, except where strings are documented', () => {
    expect(checkLifetimeInteger(LOGIN, 'expires_in', 3599.5).findings).toHaveLength(1);
    expect(checkLifetimeInteger(LOGIN, 'expires_in', '3599').findings).toHaveLength(1);
    expect(checkLifetimeInteger(LOGIN, 'expires_in', '3599', true)).toEqual({ seconds: 3599, findings: [] });
  });

  test('learns the first answer of a kind and holds later answers to it', () => {
    setProfile('documented');
    validateExpiresIn(LOGIN, 'expires_in', 14399, 'customerAccess');
    expect(learnedLifetimes()).toEqual({ customerAccess: 14399 });
    expect(() => validateExpiresIn(LOGIN, 'expires_in', 14395, 'customerAccess')).not.toThrow();
    setProfile('strict');
    expect(() => validateExpiresIn(LOGIN, 'expires_in', 20000, 'customerAccess')).toThrow(
      /token\.lifetime\.stable, B/,
    );
  });

  test('a remaining lifetime above the one issued fails in both profiles', () => {
    setProfile('documented');
    expect(() => validateRemainingLifetime(LOGIN, 'expires_in', 14400, 14399, 'customerAccess')).toThrow(
      FindingError,
    );
    expect(() =>
      validateRemainingLifetime(LOGIN, 'expires_in', 14000, 14399, 'customerAccess'),
    ).not.toThrow();
  });

  test('the plausible range is a minute to 400 days; the tutorial window is narrow', () => {
    expect(checkLifetimeSeconds(LOGIN, 'expires_in', 59, 'anonymousAccess')).toHaveLength(1);
    expect(checkLifetimeSeconds(LOGIN, 'expires_in', 400 * 86400, 'customerRefresh')).toEqual([]);
    expect(checkLifetimeTutorialValue(LOGIN, 'expires_in', 3597, 'anonymousAccess')).toEqual([]);
    expect(checkLifetimeTutorialValue(LOGIN, 'expires_in', 3601, 'anonymousAccess')).toHaveLength(1);
  });
});
