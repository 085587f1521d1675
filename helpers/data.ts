// Test data builders: bodies shaped like the tutorial's examples, filled with faker, and email
// addresses that are unique per run (EMPORIX_EMAIL_TEMPLATE, `{run}` and `{n}`).
// The English locale only: the same `faker` as the package's default export (English, then the
// base locale), without loading every other locale, which cost each process about 0.15 s of CPU.
import { faker } from '@faker-js/faker/locale/en';
import { currentRunId } from './config.ts';

/**
 * Identifies this run in the addresses it creates, e.g. `m3k9x2-7f1a`: one id for the whole run,
 * shared by every worker through EMPORIX_RUN_ID (so the cleanup ledger and sweep find its data).
 */
export const RUN_ID = currentRunId();

let counter = 0;

/**
 * A fresh email address from the template: `{run}` becomes the run id, `{n}` a counter. Without
 * `{run}` in the template, `{n}` carries the run id, so two processes never make the same address.
 */
export function uniqueEmail(template: string): string {
  counter += 1;
  // Workers share the run id, so the counter carries the process id to keep their addresses apart.
  const n = template.includes('{run}') ? `${process.pid}-${counter}` : `${RUN_ID}-${process.pid}-${counter}`;
  return template.replaceAll('{run}', RUN_ID).replaceAll('{n}', n).toLowerCase();
}

/** A password satisfying the documented rule (at least 6 characters) and common stricter ones. */
export function newPassword(): string {
  return `Qa-${faker.string.alphanumeric({ length: 10 })}7!`;
}

export interface AddressBody {
  contactName?: string;
  companyName?: string;
  street?: string;
  streetNumber?: string;
  streetAppendix?: string;
  extraLine1?: string;
  extraLine2?: string;
  extraLine3?: string;
  extraLine4?: string;
  zipCode?: string;
  city?: string;
  country?: string;
  state?: string;
  contactPhone?: string;
  tags?: string[];
  isDefault?: boolean;
  [field: string]: unknown;
}

export interface CustomerDetails {
  title?: string;
  firstName?: string;
  middleName?: string;
  lastName?: string;
  contactEmail?: string;
  contactPhone?: string;
  company?: string;
  preferredLanguage?: string;
  preferredCurrency?: string;
  preferredSite?: string;
  b2b?: { companyRegistrationId?: string; [field: string]: unknown };
  [field: string]: unknown;
}

export interface SignupBody {
  email: string;
  password: string;
  customerDetails?: CustomerDetails;
  customerAddress?: AddressBody;
  [field: string]: unknown;
}

/** An address body like the tutorial's "Adding an address to a customer profile". */
export function addressBody(overrides: Partial<AddressBody> = {}): AddressBody {
  return {
    contactName: faker.person.fullName(),
    companyName: faker.company.name(),
    street: faker.location.street(),
    streetNumber: faker.location.buildingNumber(),
    zipCode: faker.location.zipCode('#####'),
    city: faker.location.city(),
    country: 'DE',
    state: faker.location.state(),
    contactPhone: faker.string.numeric(9),
    tags: ['BILLING', 'SHIPPING'],
    ...overrides,
  };
}

export interface SignupOptions {
  /** Adds `customerDetails.b2b.companyRegistrationId` (which requires first name, last name, company). */
  b2b?: boolean;
  /** Adds `customerAddress` (the first address, which becomes the default). */
  withAddress?: boolean;
}

/** A signup body like the tutorial's "Creating a new customer", with a fresh email and password. */
export function signupBody(
  emailTemplate: string,
  options: SignupOptions = {},
  overrides: Partial<SignupBody> = {},
): SignupBody {
  const email = overrides.email ?? uniqueEmail(emailTemplate);
  const firstName = faker.person.firstName();
  const lastName = faker.person.lastName();
  const body: SignupBody = {
    email,
    password: newPassword(),
    customerDetails: {
      title: faker.helpers.arrayElement(['MR', 'MS']),
      firstName,
      lastName,
      contactEmail: email,
      contactPhone: faker.string.numeric(9),
      company: faker.company.name(),
      preferredLanguage: 'en_US',
      preferredCurrency: 'EUR',
      preferredSite: 'main',
      ...(options.b2b ? { b2b: { companyRegistrationId: faker.string.numeric({ length: 9 }) } } : {}),
    },
    ...(options.withAddress
      ? { customerAddress: addressBody({ contactName: `${firstName} ${lastName}` }) }
      : {}),
  };
  return { ...body, ...overrides };
}

/** A profile update like the tutorial's "Updating a customer profile" (without metadata.version). */
export function profileUpdateBody(overrides: Partial<CustomerDetails> = {}): CustomerDetails {
  return {
    firstName: faker.person.firstName(),
    lastName: faker.person.lastName(),
    contactPhone: faker.string.numeric(9),
    company: faker.company.name(),
    preferredLanguage: 'en_US',
    preferredCurrency: 'EUR',
    ...overrides,
  };
}
