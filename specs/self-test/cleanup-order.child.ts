// Run only as a child of specs/fixture-errors.spec.ts, against its server: the employee activation
// of `newCustomer` answers an undocumented status, and the deletion that follows is refused too.
import { expect, test } from '../../fixtures/index.ts';

test('a new customer whose activation the target refuses', async ({ newCustomer }) => {
  expect(newCustomer.customerNumber).not.toBe('');
});
