// JSON schemas the mock validates requests with. They are the mock's own reading of the contract,
// written apart from the suite's schemas on purpose. Types are never coerced: a number where a
// string is expected is a 400.

const str = { type: 'string' } as const;
const looseObject = { type: 'object', additionalProperties: true } as const;

export const EMAIL_MAX = 254;

/** A JSON object body of exactly `properties` (any other name is a 400), `required` among them. */
export function closedBody<const P extends Record<string, object>>(
  properties: P,
  ...required: (keyof P & string)[]
) {
  return { type: 'object', additionalProperties: false, properties, required } as const;
}

export const legalEntitySchema = {
  type: 'object',
  properties: { id: str, name: str, contactAssignmentId: str },
} as const;

export const b2bSchema = {
  type: 'object',
  properties: {
    companyRegistrationId: str,
    legalEntities: { type: 'array', items: legalEntitySchema, maxItems: 100 },
  },
} as const;

export const metadataInputSchema = {
  type: 'object',
  properties: {
    version: { type: 'integer' },
    mixins: looseObject,
  },
} as const;

/** Profile fields of CustomerUpdateDto (what signup's customerDetails and PATCH /me accept). */
export const profileProperties = {
  title: str,
  firstName: str,
  middleName: str,
  lastName: str,
  contactEmail: str,
  contactPhone: str,
  company: str,
  preferredLanguage: str,
  preferredCurrency: { type: 'string', pattern: '^[A-Za-z]{3}$' },
  preferredSite: str,
  b2b: b2bSchema,
  metadata: metadataInputSchema,
  mixins: looseObject,
} as const;

export const addressProperties = {
  contactName: str,
  companyName: str,
  street: str,
  streetNumber: str,
  streetAppendix: str,
  extraLine1: str,
  extraLine2: str,
  extraLine3: str,
  extraLine4: str,
  zipCode: str,
  city: str,
  country: { type: 'string', pattern: '^[A-Za-z]{2}$' },
  state: str,
  contactPhone: str,
  tags: { type: 'array', items: str, maxItems: 100 },
  mixins: looseObject,
  metadata: metadataInputSchema,
} as const;

/** Address `country` as free text: any string with a non-blank character. */
const countryText = { type: 'string', pattern: '\\S' } as const;

/**
 * The address fields, with `country` a two-letter code (behaviour.checks.countryCode) or free text.
 */
export function addressPropertiesFor(countryCode: boolean) {
  return countryCode ? addressProperties : { ...addressProperties, country: countryText };
}

export const credentialsSchema = {
  type: 'object',
  properties: {
    email: { type: 'string', minLength: 1, maxLength: EMAIL_MAX },
    password: { type: 'string', minLength: 1, maxLength: 1024 },
  },
  required: ['email', 'password'],
} as const;

/** Signup's body; `customerAddress.country` as addressPropertiesFor() says. */
export function signupBodySchemaFor(countryCode: boolean) {
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      email: { type: 'string', minLength: 1, maxLength: EMAIL_MAX },
      password: { type: 'string', minLength: 1, maxLength: 1024 },
      customerDetails: { type: 'object', properties: profileProperties },
      customerAddress: {
        type: 'object',
        properties: { ...addressPropertiesFor(countryCode), isDefault: { type: 'boolean' } },
      },
      signup: credentialsSchema,
    },
    required: ['email', 'password'],
  } as const;
}

export const emailOnlyBodySchema = {
  type: 'object',
  properties: { email: { type: 'string', minLength: 1, maxLength: EMAIL_MAX } },
  required: ['email'],
} as const;

/** Tenant-managed PATCH: the profile plus the account state an employee controls. */
export const employeePatchBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...profileProperties,
    active: { type: 'boolean' },
    onHold: { type: 'boolean' },
  },
} as const;

export const idpAuthorizeBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    email: { type: 'string', minLength: 1, maxLength: EMAIL_MAX },
    redirect_uri: { type: 'string', minLength: 1, maxLength: 2048 },
    code_challenge: { type: 'string', minLength: 43, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' },
    code_challenge_method: { type: 'string', enum: ['S256'] },
  },
  required: ['email', 'redirect_uri'],
} as const;

/** POST /_mock/{tenant}/tokens/expire: the access or refresh token to expire. */
export const expireTokenBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { token: { type: 'string', minLength: 1, maxLength: 1024 } },
  required: ['token'],
} as const;

export const oauthTokenBodySchema = {
  type: 'object',
  properties: {
    grant_type: { type: 'string', minLength: 1 },
    client_id: str,
    client_secret: str,
    scope: str,
  },
  required: ['grant_type'],
} as const;

/** A querystring schema with the given required and optional string parameters. */
export function queryOf(required: readonly string[], optional: readonly string[] = []) {
  const properties: Record<string, { type: 'string'; minLength?: number }> = {};
  for (const name of required) properties[name] = { type: 'string', minLength: 1 };
  for (const name of optional) properties[name] = { type: 'string' };
  return { type: 'object', properties, required: [...required] };
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function looksLikeEmail(value: string): boolean {
  return value.length <= EMAIL_MAX && EMAIL_PATTERN.test(value);
}
