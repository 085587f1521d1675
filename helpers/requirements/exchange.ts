// The client's own checks, run on every exchange (helpers/api-client.ts): the status is documented,
// a body comes as JSON, the body matches the schema of its status, the suite's request matches the
// request schema, and (advisory) the body holds no field the documents do not list.
//
// Each check exists once per document an operation comes from, so its code names the source: the
// customer-managed reference (R), the tenant-managed reference (TM), the OAuth reference (O), and the
// mock's own test-only paths (B). A status the project adds beyond the reference (the catalog's
// `x-statuses-beyond-reference`) has a schema of the project's reading: its body check is B.
import type { OperationInfo } from '../catalog.ts';
import { requirement, type Requirement, type Source } from '../findings.ts';

/** Which document an operation comes from. */
export type OperationSource = 'customer-managed' | 'tenant-managed' | 'oauth' | 'mock';

const SOURCES: Readonly<Record<OperationSource, { source: Source; document: string }>> = {
  'customer-managed': { source: 'R', document: 'R' },
  'tenant-managed': { source: 'TM', document: 'TM' },
  oauth: { source: 'O', document: 'O' },
  mock: { source: 'B', document: "docs/behaviour.md, the mock's test-only paths" },
};

/** Which document an operation comes from, so which source its findings have. */
export function operationSource(op: Pick<OperationInfo, 'id' | 'chapter' | 'testOnly'>): OperationSource {
  if (op.testOnly) return 'mock';
  if (op.id === 'POST-oauth-request-client-credentials') return 'oauth';
  return op.chapter === 'employee' ? 'tenant-managed' : 'customer-managed';
}

type Family = Readonly<Record<OperationSource, Requirement>>;

/** One requirement per operation source: `<base>.<source>`. */
function family(base: string, summary: string, where: string, advisory = false): Family {
  const entries = (Object.keys(SOURCES) as OperationSource[]).map((key) => {
    const { source, document } = SOURCES[key];
    return [
      key,
      requirement({
        code: `${base}.${key}`,
        source,
        reference: `${document}: ${where}`,
        summary,
        ...(advisory ? { advisory } : {}),
      }),
    ] as const;
  });
  return Object.fromEntries(entries) as unknown as Family;
}

export const STATUS_DOCUMENTED = family(
  'response.status.documented',
  'The status is one the operation documents (or one the project accepts beyond the reference, docs/discrepancies.md).',
  "the operation's responses",
);

export const CONTENT_TYPE_JSON = family(
  'response.content-type.json',
  'A response body comes with Content-Type application/json.',
  'the media type of every documented response body',
);

export const BODY_JSON = family(
  'response.body.json',
  'A response body parses as JSON.',
  'the media type of every documented response body',
);

export const BODY_SCHEMA = family(
  'response.body.schema',
  'A status that documents a body has one, and it matches that status schema.',
  "the schema of the operation's response for the status",
);

/**
 * The body of a status the project added beyond the reference, or of a status the reference lists
 * without a body (validateauthtoken's 401): its schema is the project's reading.
 */
export const ADDED_STATUS_BODY_SCHEMA = requirement({
  code: 'response.body.schema.added-status',
  source: 'B',
  reference: 'docs/discrepancies.md: statuses and bodies accepted beyond the reference, with their schema',
  summary:
    'The body of a status the project accepts beyond the reference, or gives a body the reference does not document, matches the schema the project gives it.',
});

/** A constraint the schemas add beyond the reference (`x-beyond-reference`): the project's reading. */
export const BODY_SCHEMA_BEYOND_REFERENCE = requirement({
  code: 'response.body.schema.beyond-reference',
  source: 'B',
  reference: 'docs/discrepancies.md: constraints the schemas add beyond the reference',
  summary:
    'A body meets the constraints the project reads into its fields beyond the reference (formats such as uuid, email, date-time; patterns such as a JWT saas_token, a Bearer token_type, an ISO country code).',
});

export const REQUEST_SCHEMA = family(
  'request.body.schema',
  "The suite's own request body matches the operation's request schema (a failure is the suite's mistake).",
  "the operation's request body schema",
);

/** Advisory: a vendor that adds a field breaks no run. */
export const FIELDS_LISTED = family(
  'response.fields.listed',
  'Advisory: the body holds only fields the schema lists.',
  "the schema of the operation's response for the status",
  true,
);

/** Advisory: a body where the documents show none. */
export const NO_BODY_DOCUMENTED = family(
  'response.body.none-documented',
  'Advisory: a status documented without a body answers without one.',
  "the operation's response for the status",
  true,
);
