// The findings module: codes are registered once, and the profile alone decides what fails.
import { expect, test } from '@playwright/test';
import {
  check,
  enforce,
  FindingError,
  formatFinding,
  requirement,
  setProfile,
  severityOf,
  warn,
} from '../helpers/findings.ts';

const documented = requirement({
  code: 'selftest.documented',
  source: 'R',
  reference: 'R: selftest',
  summary: 'a promise of the reference',
});
const ownReading = requirement({
  code: 'selftest.own-reading',
  source: 'B',
  reference: 'docs/behaviour.md',
  summary: 'a promise of the project reading',
});
const broken = (req: typeof documented) =>
  check(req, false, () => ({ operation: 'GET /x', field: 'f', expected: '1', received: '2', hint: 'why' }));

test.describe('findings @offline', () => {
  test.afterEach(() => setProfile(undefined));

  test('a finding against the vendor documents fails in both profiles', () => {
    for (const profile of ['strict', 'documented'] as const) {
      expect(severityOf(documented, profile)).toBe('fail');
      setProfile(profile);
      expect(() => enforce(broken(documented))).toThrow(FindingError);
    }
  });

  test('a finding against the project reading fails in strict and warns in documented', () => {
    setProfile('strict');
    expect(() => enforce(broken(ownReading))).toThrow(/selftest\.own-reading, B/);
    setProfile('documented');
    const before = test.info().annotations.length;
    expect(() => enforce(broken(ownReading))).not.toThrow();
    expect(test.info().annotations.slice(before)).toEqual([
      { type: 'warning: selftest.own-reading', description: formatFinding(broken(ownReading)[0]!) },
    ]);
  });

  test('warn never fails, even in strict', () => {
    setProfile('strict');
    expect(() => warn(broken(documented))).not.toThrow();
  });

  test('a holding check returns no finding', () => {
    expect(check(documented, true, () => ({ expected: '', received: '' }))).toEqual([]);
  });

  test('a code is registered once, and malformed or conflicting codes are refused', () => {
    expect(requirement({ ...documented })).toBe(documented);
    expect(() => requirement({ ...documented, summary: 'another promise' })).toThrow(/registered twice/);
    expect(() => requirement({ ...documented, code: 'NoDots' })).toThrow(/dotted lower case/);
  });

  test('an unregistered code cannot be enforced', () => {
    expect(() => enforce({ code: 'nobody.registered', expected: '', received: '' })).toThrow(/unregistered/);
  });

  test('the message names code, source, operation, field, expected, received and hint', () => {
    expect(formatFinding(broken(documented)[0]!)).toBe(
      '[selftest.documented, R] GET /x: f: expected 1, received 2 — why',
    );
  });
});
