// The model of the customer-managed lifecycle that exploration holds a server to: customers with their
// logins, profile, addresses and tags, the anonymous sessions they signed in on, and the customer
// tokens they hold. It is the suite's own picture, written from the documents (never the mock's code),
// and it changes only by the predictions of the commands (helpers/model/commands.ts).
//
// Values are drawn from small pools on purpose: a state bug often shows only when a value comes back
// (a field changed and changed back, two addresses with the same tags).
import fc from 'fast-check';

export const PROFILE_FIELDS = [
  'title',
  'firstName',
  'middleName',
  'lastName',
  'contactPhone',
  'company',
  'preferredLanguage',
  'preferredSite',
] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];
/** The profile fields the model follows; contactEmail and preferredCurrency too, set at signup. */
export type Profile = Partial<Record<ProfileField | 'contactEmail' | 'preferredCurrency', string>>;

export const PROFILE_POOLS: Readonly<Record<ProfileField, readonly string[]>> = {
  title: ['MR', 'MS'],
  firstName: ['Ada', 'Grace', 'Alan'],
  middleName: ['Marie', 'Jo'],
  lastName: ['Lovelace', 'Hopper', 'Turing'],
  contactPhone: ['030123456', '089765432'],
  company: ['Analytical Engines', 'Compilers GmbH'],
  preferredLanguage: ['en_US', 'de_DE'],
  preferredSite: ['main', 'outlet'],
};

export const ADDRESS_FIELDS = [
  'contactName',
  'street',
  'streetNumber',
  'zipCode',
  'city',
  'companyName',
] as const;
export type AddressField = (typeof ADDRESS_FIELDS)[number];
export type AddressFields = Partial<Record<AddressField | 'country', string>>;

export const ADDRESS_POOLS: Readonly<Record<AddressField, readonly string[]>> = {
  contactName: ['Ada Lovelace', 'Grace Hopper'],
  street: ['Platz der Republik', 'Unter den Linden', 'Hauptstraße'],
  streetNumber: ['1', '2', '17a'],
  zipCode: ['10117', '50667'],
  city: ['Berlin', 'Köln', 'Bonn'],
  companyName: ['Analytical Engines', 'Compilers GmbH'],
};

export const TAG_POOL = ['BILLING', 'SHIPPING', 'CUSTOM', 'PICKUP'] as const;
const COMMON_TAG_SETS: string[][] = [[], ['BILLING', 'SHIPPING']];

export interface ModelAddress {
  /** `C1/A2`: how the story names it. */
  readonly label: string;
  readonly id: string;
  fields: AddressFields;
  /** Sorted, without duplicates. */
  tags: string[];
}

export interface Login {
  email: string;
  password: string;
}

export interface ModelCustomer {
  /** `C1`: how the story names it. */
  readonly label: string;
  readonly customerNumber: string;
  /** The login it signed up with (changed by a confirmed email change). */
  login: Login;
  /** Logins added with accounts/internal: each with its own password. */
  extraLogins: Login[];
  profile: Profile;
  /** metadata.version as last known; `versionExact` false when only a lower bound is known. */
  version: number;
  versionExact: boolean;
  /** In creation order. */
  addresses: ModelAddress[];
  /** Id of the default address; `unknown` after the default was deleted (which one follows is not documented). */
  defaultId: string | null | 'unknown';
  addressCount: number;
}

export interface ModelSession {
  /** `S1`. */
  readonly label: string;
  readonly accessToken: string;
  readonly sessionId: string;
}

export interface ModelToken {
  /** `C1/t2`. */
  readonly label: string;
  readonly customer: ModelCustomer;
  readonly session: ModelSession;
  access: string;
  refresh: string;
  /** The login email the token was obtained with. */
  email: string;
  /**
   * The email validateauthtoken should report: the token's login as it is now; null after another
   * login of the customer changed its email (what such a token reports is not documented).
   */
  validateEmail: string | null;
  live: boolean;
}

export interface Model {
  customers: ModelCustomer[];
  sessions: ModelSession[];
  tokens: ModelToken[];
  tokenCount: number;
}

export function liveTokensOf(model: Model, customer: ModelCustomer): ModelToken[] {
  return model.tokens.filter((t) => t.live && t.customer === customer);
}

/** Every login email of a customer, lower case. */
export function loginsOf(customer: ModelCustomer): string[] {
  return [customer.login.email, ...customer.extraLogins.map((l) => l.email)].map((e) => e.toLowerCase());
}

export function sortedTags(tags: Iterable<string>): string[] {
  return [...new Set(tags)].sort();
}

/** Picks the element `index` points at (indices are resolved against the model when a command runs). */
export function pick<T>(items: readonly T[], index: number): T | undefined {
  return items.length === 0 ? undefined : items[index % items.length];
}

// ---- arbitraries ----

export const profileValue = (field: ProfileField): fc.Arbitrary<string> =>
  fc.constantFrom(...PROFILE_POOLS[field]);

/** A PATCH /me body: one to three of the followed fields, each from its pool. */
export const profilePatchArb: fc.Arbitrary<Partial<Record<ProfileField, string>>> = fc
  .subarray([...PROFILE_FIELDS], { minLength: 1, maxLength: 3 })
  .chain((fields) => fc.record(Object.fromEntries(fields.map((f) => [f, profileValue(f)]))));

/** The profile a customer signs up with. */
export const signupProfileArb: fc.Arbitrary<Record<ProfileField, string>> = fc.record(
  Object.fromEntries(PROFILE_FIELDS.map((f) => [f, profileValue(f)])) as Record<
    ProfileField,
    fc.Arbitrary<string>
  >,
);

/** Tags of an address: mostly the common sets (so two addresses often carry equal ones), else any. */
export const tagsArb = (min: number): fc.Arbitrary<string[]> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...COMMON_TAG_SETS.filter((set) => set.length >= min)) },
    { weight: 1, arbitrary: fc.subarray([...TAG_POOL], { minLength: min, maxLength: 3 }) },
  );

export const addressFieldsArb: fc.Arbitrary<AddressFields> = fc.record({
  contactName: fc.constantFrom(...ADDRESS_POOLS.contactName),
  street: fc.constantFrom(...ADDRESS_POOLS.street),
  streetNumber: fc.constantFrom(...ADDRESS_POOLS.streetNumber),
  zipCode: fc.constantFrom(...ADDRESS_POOLS.zipCode),
  city: fc.constantFrom(...ADDRESS_POOLS.city),
  country: fc.constant('DE'),
});

/** A PATCH of an address: one or two fields. */
export const addressPatchArb: fc.Arbitrary<AddressFields> = fc
  .subarray([...ADDRESS_FIELDS], { minLength: 1, maxLength: 2 })
  .chain((fields) =>
    fc.record(Object.fromEntries(fields.map((f) => [f, fc.constantFrom(...ADDRESS_POOLS[f])]))),
  );

/** How one customer of a run starts: its signup profile, whether it signs up with an address, and how it is activated. */
export interface CustomerPlan {
  profile: Record<ProfileField, string>;
  address: { fields: AddressFields; tags: string[] } | null;
  activation: 'employee' | 'opt-in';
  /** Index of the anonymous session it logs in on. */
  session: number;
}

export const customerPlanArb: fc.Arbitrary<CustomerPlan> = fc.record({
  profile: signupProfileArb,
  address: fc.option(fc.record({ fields: addressFieldsArb, tags: tagsArb(0) }), { nil: null }),
  activation: fc.constantFrom<'employee' | 'opt-in'>('employee', 'opt-in'),
  session: fc.nat(),
});

export interface RunPlan {
  /** Two anonymous sessions for three customers: at least two customers always share one. */
  sessions: number;
  customers: CustomerPlan[];
}

export const runPlanArb: fc.Arbitrary<RunPlan> = fc.record({
  sessions: fc.constant(2),
  customers: fc.array(customerPlanArb, { minLength: 3, maxLength: 3 }),
});
