// The operations of the lifecycle as fast-check commands. Each one: a precondition on the model, the
// request through the project's client, and a postcondition: the status the model predicts and the
// state after, read back from every endpoint that shows it. Targets (customer, token, address) are
// drawn as plain numbers and resolved against the model when the command runs, so a shrunk sequence
// still names real things. A command with `verify` false skips its read-back: the next reads judge it,
// which is how a change lost to a later one, or a stale cache, shows.
import fc from 'fast-check';
import { enforce, type Finding } from '../findings.ts';
import { newPassword, uniqueEmail } from '../data.ts';
import {
  MODEL_CREDENTIALS,
  MODEL_ISOLATION,
  MODEL_LOGOUT_REVOKES,
  MODEL_STATUS_READING,
  MODEL_PASSWORD_CHANGE_SESSIONS,
  MODEL_PROFILE_OWN,
} from '../requirements/index.ts';
import { check } from '../findings.ts';
import {
  addressFieldsArb,
  addressPatchArb,
  liveTokensOf,
  pick,
  profilePatchArb,
  sortedTags,
  tagsArb,
  TAG_POOL,
  type AddressFields,
  type Login,
  type Model,
  type ModelAddress,
  type ModelCustomer,
  type ModelSession,
  type ModelToken,
  type ProfileField,
} from './state.ts';
import type { System } from './system.ts';
import {
  checkSessionKept,
  expectStatus,
  label,
  readAddress,
  readAddressList,
  readAsEmployee,
  readDeletedAddress,
  readIsolation,
  readProfile,
  readTokenRevoked,
  readTokenWorks,
  readValidation,
  record,
} from './verify.ts';

type Cmd = fc.AsyncCommand<Model, System>;

/** Indices into the model, resolved when the command runs. */
interface Target {
  customer: number;
  token: number;
}

interface AddressTarget extends Target {
  address: number;
}

/** What a target resolves to: a customer and one of its live tokens. */
interface Holder {
  customer: ModelCustomer;
  token: ModelToken;
}

interface HeldAddress extends Holder {
  address: ModelAddress;
}

function customerAt(model: Readonly<Model>, index: number): ModelCustomer | undefined {
  const withTokens = model.customers.filter((c) => model.tokens.some((t) => t.live && t.customer === c));
  return pick(withTokens, index);
}

function tokenOf(model: Readonly<Model>, target: Target): Holder | undefined {
  const customer = customerAt(model, target.customer);
  const token = customer ? pick(liveTokensOf(model as Model, customer), target.token) : undefined;
  return customer && token ? { customer, token } : undefined;
}

function addressOf(model: Readonly<Model>, target: AddressTarget): HeldAddress | undefined {
  const found = tokenOf(model, target);
  const address = found ? pick(found.customer.addresses, target.address) : undefined;
  return found && address ? { ...found, address } : undefined;
}

const liveTokenCount = (model: Readonly<Model>) => model.tokens.filter((t) => t.live).length;

/** Adds a customer token to the model. */
export function addToken(
  model: Model,
  customer: ModelCustomer,
  session: ModelSession,
  body: Record<string, unknown>,
  email: string,
): ModelToken {
  model.tokenCount += 1;
  const token: ModelToken = {
    label: `${customer.label}/t${model.tokenCount}`,
    customer,
    session,
    access: String(body.access_token),
    refresh: String(body.refresh_token),
    email,
    validateEmail: email,
    live: true,
  };
  model.tokens.push(token);
  return token;
}

/**
 * The base of every command: the story step, the budget, the findings enforced at the end. What it
 * acts on is drawn as indices (`target`) and resolved against the model when it runs; a command
 * whose target resolves to nothing, or that `allows` no run on it, is left out of the sequence.
 */
abstract class Step<T, F> implements Cmd {
  /** Most requests the command sends. */
  protected abstract readonly cost: number;

  constructor(protected readonly target: T) {}

  protected abstract resolve(model: Readonly<Model>): F | undefined;
  /** What a person reads in the story. */
  protected abstract describe(found: F): string;
  protected abstract act(found: F, model: Model, sys: System): Promise<Finding[]>;

  /** What the command needs beyond a target that resolves (room for another address, ...). */
  protected allows(_found: F, _model: Readonly<Model>): boolean {
    return true;
  }

  check(model: Readonly<Model>): boolean {
    const found = this.resolve(model);
    return found !== undefined && this.allows(found, model);
  }

  async run(model: Model, sys: System): Promise<void> {
    sys.reserve(this.cost);
    const found = this.resolve(model)!;
    const text = this.describe(found);
    sys.story.begin(text);
    const findings = await sys.step(text, () => this.act(found, model, sys));
    sys.note(findings);
    enforce(findings);
  }

  /** The command's arguments as fast-check prints a sequence. */
  protected args(): string {
    return JSON.stringify(this.target);
  }

  /** `Refresh({"customer":0,"token":1})`: the class's own name (the suite is never minified). */
  toString(): string {
    return `${this.constructor.name}(${this.args()})`;
  }
}

/** A command on one of a customer's live tokens. */
abstract class TokenStep extends Step<Target, Holder> {
  protected resolve(model: Readonly<Model>) {
    return tokenOf(model, this.target);
  }
}

/** A command on one address of a customer, with one of its live tokens. */
abstract class AddressStep extends Step<AddressTarget, HeldAddress> {
  protected resolve(model: Readonly<Model>) {
    return addressOf(model, this.target);
  }
}

/** The read-backs a command asks for after a change, in the order they are sent. */
type ReadBack =
  'me' | 'me+addresses' | 'employee' | 'list' | 'address' | 'deleted' | 'others' | 'others+address';

/**
 * Reads the change back from every endpoint that shows it: `me` GET /me (`+addresses` with
 * expand=addresses), `employee` the employee's view, `list` the address list, `address` the address
 * itself (`deleted`: its 404), `others` another customer's addresses (`+address`: and this one refused
 * to that customer).
 */
async function readBack(
  sys: System,
  model: Model,
  found: Holder & { address?: ModelAddress },
  where: string,
  reads: readonly ReadBack[],
): Promise<Finding[]> {
  const { customer, token, address } = found;
  const one: Record<ReadBack, () => Promise<Finding[]>> = {
    me: () => readProfile(sys, customer, token, false, where),
    'me+addresses': () => readProfile(sys, customer, token, true, where),
    employee: () => readAsEmployee(sys, customer, where),
    list: () => readAddressList(sys, customer, token, where),
    address: () => readAddress(sys, customer, token, address!, where),
    deleted: () => readDeletedAddress(sys, token, address!),
    others: () => readIsolation(sys, model, customer, undefined),
    'others+address': () => readIsolation(sys, model, customer, address),
  };
  const findings: Finding[] = [];
  for (const read of reads) findings.push(...(await one[read]()));
  return findings;
}

// ---- profile ----

class ReadProfile extends TokenStep {
  protected readonly cost = 1;
  constructor(
    target: Target,
    private readonly expand: boolean,
  ) {
    super(target);
  }
  protected describe({ customer, token }: Holder) {
    return `${customer.label} reads its profile${this.expand ? ' with its addresses' : ''} (${token.label})`;
  }
  protected act({ customer, token }: Holder, _model: Model, sys: System) {
    return readProfile(sys, customer, token, this.expand, 'as the model holds it');
  }
  protected override args() {
    return `${super.args()}, expand=${this.expand}`;
  }
}

class PatchProfile extends TokenStep {
  protected get cost() {
    return this.verify ? 3 : 1;
  }
  constructor(
    target: Target,
    private readonly patch: Partial<Record<ProfileField, string>>,
    private readonly verify: boolean,
  ) {
    super(target);
  }
  protected describe({ customer, token }: Holder) {
    return `${customer.label} changes its profile to ${JSON.stringify(this.patch)} (${token.label})${this.verify ? '' : ', without reading it back'}`;
  }
  protected async act(found: Holder, model: Model, sys: System) {
    const response = await sys.call('PATCH-customer-update-customer', {
      body: this.patch,
      token: found.token.access,
    });
    const findings = expectStatus(response, 200, 'a valid profile change');
    if (findings.length > 0) return findings;
    Object.assign(found.customer.profile, this.patch);
    found.customer.version += 1;
    if (!this.verify) return [];
    return readBack(sys, model, found, `after the change ${JSON.stringify(this.patch)}`, ['me', 'employee']);
  }
  protected override args() {
    return `${super.args()}, ${JSON.stringify(this.patch)}, verify=${this.verify}`;
  }
}

/** Two changes back to back, then one read: the second must not undo the first. */
class PatchProfileTwice extends TokenStep {
  protected readonly cost = 4;
  constructor(
    target: Target,
    private readonly first: Partial<Record<ProfileField, string>>,
    private readonly second: Partial<Record<ProfileField, string>>,
  ) {
    super(target);
  }
  protected describe({ customer, token }: Holder) {
    return `${customer.label} changes its profile to ${JSON.stringify(this.first)}, then at once to ${JSON.stringify(this.second)} (${token.label})`;
  }
  protected async act(found: Holder, model: Model, sys: System) {
    for (const patch of [this.first, this.second]) {
      const response = await sys.call('PATCH-customer-update-customer', {
        body: patch,
        token: found.token.access,
      });
      const findings = expectStatus(response, 200, 'a valid profile change');
      if (findings.length > 0) return findings;
      Object.assign(found.customer.profile, patch);
      found.customer.version += 1;
    }
    const where = `after the changes ${JSON.stringify(this.first)} and ${JSON.stringify(this.second)}`;
    return readBack(sys, model, found, where, ['me', 'employee']);
  }
  protected override args() {
    return `${super.args()}, ${JSON.stringify(this.first)}, ${JSON.stringify(this.second)}`;
  }
}

class PatchProfileStale extends TokenStep {
  protected readonly cost = 2;
  protected override allows({ customer }: Holder) {
    return customer.versionExact && customer.version > 1;
  }
  protected describe({ customer, token }: Holder) {
    return `${customer.label} changes its company naming the outdated version ${customer.version - 1} (${token.label})`;
  }
  protected async act({ customer, token }: Holder, _model: Model, sys: System) {
    const response = await sys.call('PATCH-customer-update-customer', {
      body: { company: 'Outdated Version Ltd', metadata: { version: customer.version - 1 } },
      token: token.access,
    });
    const findings = expectStatus(
      response,
      409,
      'metadata.version is not the current one',
      MODEL_STATUS_READING,
    );
    if (findings.length > 0) return findings;
    return readProfile(sys, customer, token, false, 'after a refused change: unchanged');
  }
}

/** The employee's view of a customer (the target: the customer's index). */
class ReadAsEmployee extends Step<number, ModelCustomer> {
  protected readonly cost = 1;
  protected resolve(model: Readonly<Model>) {
    return pick(model.customers, this.target);
  }
  protected describe(customer: ModelCustomer) {
    return `the employee reads ${customer.label}`;
  }
  protected act(customer: ModelCustomer, _model: Model, sys: System) {
    return readAsEmployee(sys, customer, 'as the model holds it');
  }
}

// ---- addresses ----

class AddAddress extends TokenStep {
  protected get cost() {
    return this.verify ? 6 : 1;
  }
  constructor(
    target: Target,
    private readonly fields: AddressFields,
    private readonly tags: string[],
    private readonly verify: boolean,
  ) {
    super(target);
  }
  protected override allows({ customer }: Holder) {
    return customer.addresses.length < 4;
  }
  protected describe({ customer, token }: Holder) {
    return `${customer.label} adds address ${customer.label}/A${customer.addressCount + 1} in ${this.fields.city} tagged ${JSON.stringify(this.tags)} (${token.label})`;
  }
  protected async act(found: Holder, model: Model, sys: System) {
    const { customer } = found;
    const response = await sys.call('POST-customer-add-address', {
      body: { ...this.fields, tags: this.tags },
      token: found.token.access,
    });
    const findings = expectStatus(response, 201, 'a valid address');
    if (findings.length > 0) return findings;
    customer.addressCount += 1;
    const address: ModelAddress = {
      label: `${customer.label}/A${customer.addressCount}`,
      id: String(record(response.body).id),
      fields: { ...this.fields },
      tags: sortedTags(this.tags),
    };
    customer.addresses.push(address);
    if (customer.addresses.length === 1) customer.defaultId = address.id;
    if (!this.verify) return [];
    return readBack(sys, model, { ...found, address }, `after adding ${address.label}`, [
      'list',
      'address',
      'me+addresses',
      'others+address',
    ]);
  }
  protected override args() {
    return `${super.args()}, ${JSON.stringify(this.fields)}, ${JSON.stringify(this.tags)}, verify=${this.verify}`;
  }
}

class PatchAddress extends AddressStep {
  protected get cost() {
    return this.verify ? 6 : 1;
  }
  constructor(
    target: AddressTarget,
    private readonly patch: AddressFields,
    private readonly makeDefault: boolean,
    private readonly verify: boolean,
  ) {
    super(target);
  }
  protected describe({ address, token }: HeldAddress) {
    return `${address.label} is changed to ${JSON.stringify(this.patch)}${this.makeDefault ? ' and marked default' : ''} (${token.label})`;
  }
  protected async act(found: HeldAddress, model: Model, sys: System) {
    const { customer, token, address } = found;
    const body = this.makeDefault ? { ...this.patch, isDefault: true } : this.patch;
    const response = await sys.call('PATCH-customer-update-customer-address', {
      path: { addressId: address.id },
      body,
      token: token.access,
    });
    const findings = expectStatus(response, 200, `${address.label} is ${customer.label}'s`);
    if (findings.length > 0) return findings;
    Object.assign(address.fields, this.patch);
    if (this.makeDefault) customer.defaultId = address.id;
    if (!this.verify) return [];
    return readBack(sys, model, found, `after changing ${address.label}`, [
      'list',
      'address',
      'me+addresses',
      'others+address',
    ]);
  }
  protected override args() {
    return `${super.args()}, ${JSON.stringify(this.patch)}, default=${this.makeDefault}, verify=${this.verify}`;
  }
}

class DeleteAddress extends AddressStep {
  protected get cost() {
    return this.verify ? 5 : 1;
  }
  constructor(
    target: AddressTarget,
    private readonly verify: boolean,
    private readonly preferDefault: boolean,
  ) {
    super(target);
  }
  /** The address drawn, or the customer's default when asked (the interesting case). */
  protected override resolve(model: Readonly<Model>) {
    const found = super.resolve(model);
    if (!found || !this.preferDefault) return found;
    const fallback = found.customer.addresses.find((a) => a.id === found.customer.defaultId);
    return fallback ? { ...found, address: fallback } : found;
  }
  protected describe({ customer, address, token }: HeldAddress) {
    const isDefault = customer.defaultId === address.id ? ' (its default)' : '';
    return `${customer.label} deletes ${address.label}${isDefault} (${token.label})`;
  }
  protected async act(found: HeldAddress, model: Model, sys: System) {
    const { customer, token, address } = found;
    const response = await sys.call('DELETE-customer-remove-customer-address-by-id', {
      path: { addressId: address.id },
      token: token.access,
    });
    const findings = expectStatus(response, 204, `${address.label} is ${customer.label}'s`);
    if (findings.length > 0) return findings;
    customer.addresses = customer.addresses.filter((a) => a !== address);
    if (customer.addresses.length === 0) customer.defaultId = null;
    else if (customer.defaultId === address.id) customer.defaultId = 'unknown';
    if (!this.verify) return [];
    return readBack(sys, model, found, `after deleting ${address.label}`, [
      'deleted',
      'list',
      'me+addresses',
      'others',
    ]);
  }
  protected override args() {
    return `${super.args()}, verify=${this.verify}, default=${this.preferDefault}`;
  }
}

class ChangeTags extends AddressStep {
  protected get cost() {
    return this.verify ? 5 : 1;
  }
  constructor(
    target: AddressTarget,
    private readonly mode: 'add' | 'remove',
    /** For `add`: the tags. For `remove`: which of the address's tags (by position), or a pool tag when it has none. */
    private readonly tags: string[],
    private readonly picks: number[],
    private readonly verify: boolean,
  ) {
    super(target);
  }
  private named(address: ModelAddress): string[] {
    if (this.mode === 'add') return this.tags;
    const chosen = this.picks.map((i) => pick(address.tags, i)).filter((t): t is string => t !== undefined);
    return chosen.length > 0
      ? [...new Set(chosen)]
      : [TAG_POOL[(this.picks[0] ?? 0) % TAG_POOL.length] ?? 'CUSTOM'];
  }
  protected describe({ address, token }: HeldAddress) {
    const tags = this.named(address).join(',');
    return this.mode === 'add'
      ? `${address.label} gets the tags ${tags} (${token.label})`
      : `${address.label} loses the tags ${tags} (${token.label})`;
  }
  protected async act(found: HeldAddress, model: Model, sys: System) {
    const { customer, token, address } = found;
    const named = this.named(address);
    const response = await sys.call(
      this.mode === 'add' ? 'POST-customer-add-address-tags' : 'DELETE-customer-remove-address-tags',
      { path: { addressId: address.id }, query: { tags: named.join(',') }, token: token.access },
    );
    const findings = expectStatus(response, 204, `${address.label} is ${customer.label}'s`);
    if (findings.length > 0) return findings;
    address.tags =
      this.mode === 'add'
        ? sortedTags([...address.tags, ...named])
        : address.tags.filter((t) => !named.includes(t));
    if (!this.verify) return [];
    const where = `after ${this.mode === 'add' ? 'adding' : 'removing'} ${named.join(',')} on ${address.label}`;
    return readBack(sys, model, found, where, ['list', 'address', 'others']);
  }
  protected override args() {
    return `${super.args()}, ${this.mode}, ${JSON.stringify(this.tags)}, ${JSON.stringify(this.picks)}, verify=${this.verify}`;
  }
}

class ReadAddresses extends TokenStep {
  protected readonly cost = 1;
  protected describe({ customer, token }: Holder) {
    return `${customer.label} lists its addresses (${token.label})`;
  }
  protected act({ customer, token }: Holder, _model: Model, sys: System) {
    return readAddressList(sys, customer, token, 'as the model holds them');
  }
}

class ReadOneAddress extends AddressStep {
  protected readonly cost = 1;
  protected describe({ address, token }: HeldAddress) {
    return `${address.label} is read on its own (${token.label})`;
  }
  protected act({ customer, token, address }: HeldAddress, _model: Model, sys: System) {
    return readAddress(sys, customer, token, address, 'as the model holds it');
  }
}

interface ForeignAddress extends HeldAddress {
  /** The other customer, whose address it is. */
  owner: ModelCustomer;
}

/** Another customer's address: the target's token, then the owner and the address among the others'. */
class ReadForeignAddress extends Step<Target, ForeignAddress> {
  protected readonly cost = 1;
  constructor(
    target: Target,
    private readonly owner: number,
    private readonly address: number,
  ) {
    super(target);
  }
  protected resolve(model: Readonly<Model>) {
    const found = tokenOf(model, this.target);
    const others = model.customers.filter((c) => c !== found?.customer && c.addresses.length > 0);
    const owner = pick(others, this.owner);
    const address = owner ? pick(owner.addresses, this.address) : undefined;
    return found && owner && address ? { ...found, owner, address } : undefined;
  }
  protected describe({ customer, token, address }: ForeignAddress) {
    return `${customer.label} tries to read ${address.label}, another customer's address (${token.label})`;
  }
  protected async act({ customer, token, owner, address }: ForeignAddress, _model: Model, sys: System) {
    const response = await sys.call('GET-customer-retrieve-address-by-id', {
      path: { addressId: address.id },
      token: token.access,
    });
    return check(MODEL_ISOLATION, response.status === 404, () => ({
      operation: label(response),
      field: address.label,
      expected: `status 404: ${customer.label} reads ${owner.label}'s address`,
      received: `status ${response.status}`,
    }));
  }
  protected override args() {
    return `${super.args()}, ${this.owner}, ${this.address}`;
  }
}

// ---- tokens and sessions ----

interface LoginTarget {
  customer: number;
  session: number;
  login: number;
}

/** A customer, one of its logins and an anonymous session to log in on. */
interface LoginOn {
  customer: ModelCustomer;
  session: ModelSession;
  login: Login;
}

class LogIn extends Step<LoginTarget, LoginOn> {
  protected readonly cost = 3;
  protected resolve(model: Readonly<Model>) {
    const customer = pick(model.customers, this.target.customer);
    const session = pick(model.sessions, this.target.session);
    const login = customer ? pick([customer.login, ...customer.extraLogins], this.target.login) : undefined;
    return customer && session && login ? { customer, session, login } : undefined;
  }
  protected override allows(_found: LoginOn, model: Readonly<Model>) {
    return liveTokenCount(model) < 10;
  }
  protected describe({ customer, session, login }: LoginOn) {
    return `${customer.label} logs in as ${login.email} on session ${session.label}`;
  }
  protected async act({ customer, session, login }: LoginOn, model: Model, sys: System) {
    const response = await sys.call('POST-customer-authenticate-customer', {
      body: { email: login.email, password: login.password },
      token: session.accessToken,
    });
    const findings = expectStatus(
      response,
      200,
      `${login.email} is a current login of ${customer.label}`,
      MODEL_CREDENTIALS,
    );
    if (findings.length > 0) return findings;
    findings.push(...checkSessionKept(response, session));
    const token = addToken(model, customer, session, record(response.body), login.email);
    const where = `after ${token.label}'s login`;
    return [
      ...findings,
      ...(await readValidation(sys, token, where)),
      ...(await readProfile(sys, customer, token, false, where)),
    ];
  }
  protected override args() {
    const { customer, session, login } = this.target;
    return `${customer}, session ${session}, login ${login}`;
  }
}

class LogOut extends TokenStep {
  protected readonly cost = 5;
  protected describe({ customer, token }: Holder) {
    return `${customer.label} logs out ${token.label} (session ${token.session.label})`;
  }
  protected async act({ token }: Holder, model: Model, sys: System) {
    const response = await sys.call('GET-customer-logout-customer', {
      query: { accessToken: token.access },
      token: token.access,
    });
    const findings = expectStatus(response, 204, `${token.label} is live`);
    if (findings.length > 0) return findings;
    token.live = false;
    findings.push(...(await readTokenRevoked(sys, token, MODEL_LOGOUT_REVOKES, 'after its logout')));
    const others = model.tokens.filter((t) => t.live && t.session === token.session).slice(0, 3);
    for (const other of others)
      findings.push(
        ...(await readTokenWorks(
          sys,
          other,
          MODEL_LOGOUT_REVOKES,
          `after ${token.label}'s logout on the same session`,
        )),
      );
    return findings;
  }
}

class Refresh extends TokenStep {
  protected readonly cost = 2;
  protected override allows({ token }: Holder, model: Readonly<Model>) {
    return token.refresh !== '' && liveTokenCount(model) < 10;
  }
  protected describe({ customer, token }: Holder) {
    return `${customer.label} refreshes ${token.label} with session ${token.session.label}'s anonymous token`;
  }
  protected async act({ customer, token }: Holder, model: Model, sys: System) {
    const response = await sys.call('GET-customer-refresh-authtoken', {
      query: { refreshToken: token.refresh },
      token: token.session.accessToken,
    });
    const findings = expectStatus(response, 200, `${token.label}'s refresh token is unused`);
    if (findings.length > 0) return findings;
    findings.push(...checkSessionKept(response, token.session));
    // The used refresh token is spent; the old access token runs out on its own.
    token.refresh = '';
    const fresh = addToken(model, customer, token.session, record(response.body), token.email);
    return [...findings, ...(await readValidation(sys, fresh, `after refreshing ${token.label}`))];
  }
}

class Validate extends TokenStep {
  protected readonly cost = 1;
  protected describe({ customer, token }: Holder) {
    return `${customer.label} validates ${token.label}`;
  }
  protected act({ token }: Holder, _model: Model, sys: System) {
    return readValidation(sys, token, 'as the model holds it');
  }
}

/** GET /me with a session's anonymous token (the target: the session's index). */
class AnonymousProfile extends Step<number, ModelSession> {
  protected readonly cost = 1;
  protected resolve(model: Readonly<Model>) {
    return pick(model.sessions, this.target);
  }
  protected describe(session: ModelSession) {
    return `session ${session.label} reads GET /me with its anonymous token`;
  }
  protected async act(session: ModelSession, model: Model, sys: System) {
    const response = await sys.call('GET-customer-retrieve-customer-profile', { token: session.accessToken });
    const findings = expectStatus(response, 200, 'an anonymous token reads the anonymous profile');
    if (findings.length > 0) return findings;
    const number = record(response.body).customerNumber;
    const leaked = model.customers.find((c) => c.customerNumber === number);
    return check(MODEL_PROFILE_OWN, leaked === undefined, () => ({
      operation: label(response),
      field: 'customerNumber',
      expected: `the anonymous profile (${session.label} is not logged in as anyone by its anonymous token)`,
      received: `${leaked?.label}'s profile`,
    }));
  }
}

// ---- credentials ----

class AssignAccount extends TokenStep {
  protected readonly cost = 3;
  protected override allows({ customer }: Holder, model: Readonly<Model>) {
    return customer.extraLogins.length < 1 && liveTokenCount(model) < 10;
  }
  protected describe({ customer, token }: Holder) {
    return `${customer.label} adds a second login with its own password (${token.label})`;
  }
  protected async act({ customer, token }: Holder, model: Model, sys: System) {
    const login: Login = { email: uniqueEmail(sys.config.emailTemplate), password: newPassword() };
    const response = await sys.call('POST-customer-assign-customer-account', {
      body: login,
      token: token.access,
    });
    const findings = expectStatus(response, 201, 'a new login email', MODEL_CREDENTIALS);
    if (findings.length > 0) return findings;
    customer.extraLogins.push(login);
    customer.versionExact = false;
    const signIn = await sys.call('POST-customer-authenticate-customer', {
      body: login,
      token: token.session.accessToken,
    });
    findings.push(...expectStatus(signIn, 200, 'the assigned login signs in', MODEL_CREDENTIALS));
    if (findings.length > 0) return findings;
    const second = addToken(model, customer, token.session, record(signIn.body), login.email);
    return readProfile(sys, customer, second, false, `after assigning ${login.email}`);
  }
}

class ChangePassword extends TokenStep {
  protected readonly cost = 6;
  protected describe({ customer, token }: Holder) {
    return `${customer.label} changes the password of ${token.email} (${token.label})`;
  }
  protected async act({ customer, token }: Holder, model: Model, sys: System) {
    const login = [customer.login, ...customer.extraLogins].find(
      (l) => l.email.toLowerCase() === token.email.toLowerCase(),
    )!;
    const old = login.password;
    const password = newPassword();
    const response = await sys.call('POST-customer-change-account-password', {
      body: { currentPassword: old, newPassword: password },
      token: token.access,
    });
    const findings = expectStatus(response, 204, 'the current password is right');
    if (findings.length > 0) return findings;
    login.password = password;
    const others = liveTokensOf(model, customer).filter((t) => t !== token);
    for (const other of others) other.live = false;
    const where = `after ${customer.label}'s password change`;
    findings.push(...(await readTokenWorks(sys, token, MODEL_PASSWORD_CHANGE_SESSIONS, where)));
    const revoked = others[0];
    if (revoked)
      findings.push(...(await readTokenRevoked(sys, revoked, MODEL_PASSWORD_CHANGE_SESSIONS, where)));
    const stale = await sys.call('POST-customer-authenticate-customer', {
      body: { email: login.email, password: old },
      token: token.session.accessToken,
    });
    findings.push(...expectStatus(stale, 401, 'the old password no longer signs in', MODEL_CREDENTIALS));
    return findings;
  }
}

class ChangeEmail extends TokenStep {
  protected readonly cost = 9;
  constructor(
    target: Target,
    private readonly sync: boolean,
  ) {
    super(target);
  }
  /** The token's login must be the customer's main login (the one the request names). */
  protected override allows({ customer, token }: Holder) {
    return token.email.toLowerCase() === customer.login.email.toLowerCase();
  }
  protected describe({ customer, token }: Holder) {
    return `${customer.label} changes its login email${this.sync ? ' and contact email' : ''}, confirmed with the emailed token (${token.label})`;
  }
  protected async act({ customer, token }: Holder, model: Model, sys: System) {
    const newEmail = uniqueEmail(sys.config.emailTemplate);
    const requested = new Date(Date.now() - 1000);
    const response = await sys.call('POST-customer-change-customer-login-email', {
      body: {
        email: customer.login.email,
        password: customer.login.password,
        newEmail,
        syncContactEmail: this.sync,
      },
      token: token.access,
    });
    const findings = expectStatus(response, 204, 'the login and password are right', MODEL_CREDENTIALS);
    if (findings.length > 0) return findings;
    const emailed = await sys.emailed(newEmail, 'email-change', requested);
    const confirm = await sys.call('POST-customer-confirm-customer-login-email', {
      body: { token: emailed },
      token: token.session.accessToken,
    });
    findings.push(...expectStatus(confirm, 204, 'the emailed token is fresh', MODEL_CREDENTIALS));
    if (findings.length > 0) return findings;
    const old = customer.login.email;
    for (const t of model.tokens) {
      if (t.customer !== customer) continue;
      if (t.email.toLowerCase() === old.toLowerCase()) t.email = t.validateEmail = newEmail;
      else t.validateEmail = null;
    }
    customer.login = { email: newEmail, password: customer.login.password };
    if (this.sync) customer.profile.contactEmail = newEmail;
    customer.versionExact = false;
    const where = `after the change from ${old} to ${newEmail}`;
    findings.push(...(await readProfile(sys, customer, token, false, where)));
    // Every live token of the customer reports its login as it is now (at most three read).
    for (const live of liveTokensOf(model, customer).slice(0, 3))
      findings.push(...(await readValidation(sys, live, where)));
    const stale = await sys.call('POST-customer-authenticate-customer', {
      body: { email: old, password: customer.login.password },
      token: token.session.accessToken,
    });
    findings.push(...expectStatus(stale, 401, `${old} is no longer a login`, MODEL_CREDENTIALS));
    return findings;
  }
  protected override args() {
    return `${super.args()}, sync=${this.sync}`;
  }
}

// ---- the command set ----

const target = fc.record({ customer: fc.nat(5), token: fc.nat(5) });
const addressTarget = fc.record({ customer: fc.nat(5), token: fc.nat(5), address: fc.nat(5) });
/** Read back most of the time; now and then not, so a later read judges the change. */
const verify = fc.oneof(
  { weight: 3, arbitrary: fc.constant(true) },
  { weight: 1, arbitrary: fc.constant(false) },
);

export interface CommandOptions {
  /** Email change needs a mailbox. */
  mailbox: boolean;
}

/** Every command, weighted by repetition: address and profile changes most, credentials least. */
export function commandArbitraries(options: CommandOptions): fc.Arbitrary<Cmd>[] {
  const profile = [
    target.chain((t) => fc.boolean().map((e) => new ReadProfile(t, e))),
    fc.tuple(target, profilePatchArb, verify).map(([t, p, v]) => new PatchProfile(t, p, v)),
    fc.tuple(target, profilePatchArb, verify).map(([t, p, v]) => new PatchProfile(t, p, v)),
    fc.tuple(target, profilePatchArb, profilePatchArb).map(([t, a, b]) => new PatchProfileTwice(t, a, b)),
    fc.tuple(target, profilePatchArb, profilePatchArb).map(([t, a, b]) => new PatchProfileTwice(t, a, b)),
    target.map((t) => new PatchProfileStale(t)),
    fc.nat(5).map((c) => new ReadAsEmployee(c)),
  ];
  const addresses = [
    fc.tuple(target, addressFieldsArb, tagsArb(0), verify).map(([t, f, g, v]) => new AddAddress(t, f, g, v)),
    fc.tuple(target, addressFieldsArb, tagsArb(1), verify).map(([t, f, g, v]) => new AddAddress(t, f, g, v)),
    fc
      .tuple(addressTarget, addressPatchArb, fc.boolean(), verify)
      .map(([t, p, d, v]) => new PatchAddress(t, p, d, v)),
    fc.tuple(addressTarget, verify, fc.boolean()).map(([t, v, d]) => new DeleteAddress(t, v, d)),
    fc.tuple(addressTarget, tagsArb(1), verify).map(([t, g, v]) => new ChangeTags(t, 'add', g, [], v)),
    fc
      .tuple(addressTarget, fc.array(fc.nat(3), { minLength: 1, maxLength: 2 }), verify)
      .map(([t, p, v]) => new ChangeTags(t, 'remove', [], p, v)),
    target.map((t) => new ReadAddresses(t)),
    addressTarget.map((t) => new ReadOneAddress(t)),
    fc.tuple(target, fc.nat(5), fc.nat(5)).map(([t, o, a]) => new ReadForeignAddress(t, o, a)),
  ];
  const tokens = [
    fc
      .tuple(fc.nat(5), fc.nat(3), fc.nat(2))
      .map(([c, s, l]) => new LogIn({ customer: c, session: s, login: l })),
    target.map((t) => new LogOut(t)),
    target.map((t) => new Refresh(t)),
    target.map((t) => new Validate(t)),
    fc.nat(3).map((s) => new AnonymousProfile(s)),
  ];
  const credentials = [
    target.map((t) => new AssignAccount(t)),
    target.map((t) => new ChangePassword(t)),
    ...(options.mailbox ? [fc.tuple(target, fc.boolean()).map(([t, s]) => new ChangeEmail(t, s))] : []),
  ];
  const tags = addresses.slice(4, 6);
  return [...profile, ...profile, ...addresses, ...addresses, ...tags, ...tags, ...tokens, ...credentials];
}
