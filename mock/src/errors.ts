// The documented error bodies and the one error handler that produces them.
//
// 400/403/404/405/409 answer {status,type,message,details?}; 401 answers the gateway's fault body
// (and so do unknown routes, when behaviour.unknownRoutes says 'gateway-fault').
// Fastify's own errors (bad JSON, wrong content type, body too large, schema validation) are mapped
// to 400 here, so client input never yields a 5xx nor fastify's default error shape.

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface ErrorDetail {
  field: string;
  type: string;
  message: string;
}

export interface ErrorBody {
  status: number;
  type: string;
  message: string;
  details?: ErrorDetail[];
}

export interface FaultBody {
  fault: { faultstring: string; detail: { errorcode: string } };
}

/** An error that carries its HTTP status and documented body. Throw it from any handler or hook. */
export class ApiError extends Error {
  readonly statusCode: number;
  readonly body: ErrorBody | FaultBody;

  constructor(statusCode: number, body: ErrorBody | FaultBody) {
    super('fault' in body ? body.fault.faultstring : body.message);
    this.name = 'ApiError';
    this.statusCode = statusCode;
    this.body = body;
  }
}

export function errorBody(status: number, type: string, message: string, details?: ErrorDetail[]): ErrorBody {
  return details && details.length > 0 ? { status, type, message, details } : { status, type, message };
}

export function faultBody(faultstring: string, errorcode: string): FaultBody {
  return { fault: { faultstring, detail: { errorcode } } };
}

export function badRequest(message: string, details?: ErrorDetail[]): ApiError {
  return new ApiError(400, errorBody(400, 'bad_request', message, details));
}

/** 400 naming one field, for checks the JSON schemas cannot express. */
export function invalidField(field: string, type: string, message: string): ApiError {
  return badRequest(`Invalid request: ${message}`, [{ field, type, message }]);
}

/**
 * 400 for a `{tenant}` path parameter that is not a tenant name (the reference's own 400 example,
 * components/responses/400_bad_request "Invalid tenant").
 */
export function invalidTenant(): ApiError {
  return badRequest('The tenant information provided with the request is not valid.', [
    {
      field: 'tenant',
      type: 'invalid_value',
      message: 'tenant must match ^[a-z][a-z0-9]+$ with 3 to 16 characters',
    },
  ]);
}

export function notFound(message: string): ApiError {
  return new ApiError(404, errorBody(404, 'resource_not_found', message));
}

export function conflict(message: string): ApiError {
  return new ApiError(409, errorBody(409, 'conflict_resource', message));
}

export function forbidden(): ApiError {
  return new ApiError(403, errorBody(403, 'Forbidden', 'User not authorized.'));
}

/** 403 for a token whose scope lacks every one of the scopes the operation requires. */
export function insufficientScope(required: readonly string[]): ApiError {
  return new ApiError(
    403,
    errorBody(403, 'Forbidden', `User not authorized: the token needs the scope ${required.join(' or ')}.`),
  );
}

/** A gateway's answer where no operation is (behaviour.unknownRoutes 'gateway-fault'). */
export function gatewayNoRoute(status: 404 | 405, method: string, path: string): ApiError {
  return status === 404
    ? new ApiError(
        404,
        faultBody(
          `Unable to identify proxy for host: api and url: ${path}`,
          'messaging.adaptors.http.flow.ApplicationNotFound',
        ),
      )
    : new ApiError(
        405,
        faultBody(
          `Method ${method} is not allowed on ${path}`,
          'messaging.adaptors.http.flow.MethodNotAllowed',
        ),
      );
}

export function methodNotAllowed(method: string, url: string): ApiError {
  return new ApiError(
    405,
    errorBody(405, 'method_not_allowed', `Method ${method} is not allowed on ${url}.`),
  );
}

export function invalidAccessToken(): ApiError {
  return new ApiError(401, faultBody('Invalid access token', 'oauth.v2.InvalidAccessToken'));
}

export function expiredAccessToken(): ApiError {
  return new ApiError(401, faultBody('Access Token expired', 'keymanagement.service.access_token_expired'));
}

export function invalidApiKey(): ApiError {
  return new ApiError(401, faultBody('Invalid ApiKey', 'oauth.v2.InvalidApiKey'));
}

/** 401 for failed credentials (login); deliberately gives no hint which part was wrong. */
export function invalidCredentials(): ApiError {
  return new ApiError(401, faultBody('Invalid credentials', 'oauth.v2.InvalidCredentials'));
}

interface AjvLikeError {
  keyword: string;
  instancePath?: string;
  params?: Record<string, unknown>;
  message?: string;
}

function pointerToField(pointer: string | undefined): string {
  if (!pointer) return '';
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

const DETAIL_TYPES: Record<string, string> = {
  type: 'invalid_type',
  required: 'missing_value',
  additionalProperties: 'unknown_field',
  minLength: 'invalid_length',
  maxLength: 'invalid_length',
  pattern: 'invalid_format',
  format: 'invalid_format',
  enum: 'invalid_value',
  const: 'invalid_value',
  minimum: 'invalid_value',
  maximum: 'invalid_value',
  minItems: 'invalid_length',
  maxItems: 'invalid_length',
  maxProperties: 'invalid_length',
};

/** Turns schema-validation errors into the documented `details` entries. */
export function detailsFromValidation(
  errors: readonly AjvLikeError[],
  context: string | undefined,
): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    let field = pointerToField(error.instancePath);
    const params = error.params ?? {};
    if (error.keyword === 'required' && typeof params.missingProperty === 'string') {
      field = field ? `${field}.${params.missingProperty}` : params.missingProperty;
    } else if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
      field = field ? `${field}.${params.additionalProperty}` : params.additionalProperty;
    }
    if (field === '' && context && context !== 'body') field = context;
    const type = DETAIL_TYPES[error.keyword] ?? 'invalid_value';
    let message: string;
    switch (error.keyword) {
      case 'required':
        message = `${field} is required`;
        break;
      case 'additionalProperties':
        message = `${field} is not a known field`;
        break;
      default:
        message = `${field || context || 'body'} ${error.message ?? 'is invalid'}`;
    }
    const key = `${field}|${type}`;
    if (seen.has(key)) continue;
    seen.add(key);
    details.push({ field, type, message });
  }
  return details;
}

const CONTEXT_NAMES: Record<string, string> = {
  body: 'request body',
  querystring: 'query parameters',
  params: 'path parameters',
  headers: 'headers',
};

/** Fastify's own client errors, by code: the message of the 400 each one answers. */
const CLIENT_ERRORS: ReadonlyMap<string, string> = new Map([
  ['FST_ERR_CTP_INVALID_JSON_BODY', 'The request body is not valid JSON.'],
  ['FST_ERR_CTP_EMPTY_JSON_BODY', 'The request body is not valid JSON.'],
  ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 'The request content type is not supported by this operation.'],
  ['FST_ERR_CTP_BODY_TOO_LARGE', 'The request body is too large.'],
  ['FST_ERR_MAX_PARAM_LENGTH', 'A path parameter is too long.'],
  ['FST_ERR_BAD_URL', 'The request path is not a valid URL.'],
  ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', 'The request content length does not match its body.'],
]);

/** Maps any error thrown while serving a request to a documented status and body. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const fastifyError = error as Partial<FastifyError> & {
    validation?: AjvLikeError[];
    validationContext?: string;
  };
  if (Array.isArray(fastifyError.validation)) {
    const context = fastifyError.validationContext;
    const where = context ? (CONTEXT_NAMES[context] ?? context) : 'request';
    return badRequest(`Invalid ${where}.`, detailsFromValidation(fastifyError.validation, context));
  }
  const known = fastifyError.code === undefined ? undefined : CLIENT_ERRORS.get(fastifyError.code);
  if (known !== undefined) return badRequest(known);
  if (error instanceof SyntaxError) return badRequest('The request body is not valid JSON.');
  const status = typeof fastifyError.statusCode === 'number' ? fastifyError.statusCode : 500;
  if (status >= 400 && status < 500) {
    // Any other client error fastify reports (bad header, proto pollution...) is a bad request.
    return badRequest(fastifyError.message || 'Bad request.');
  }
  return new ApiError(500, errorBody(500, 'internal_error', 'An unexpected error occurred.'));
}

export function sendError(reply: FastifyReply, error: ApiError): FastifyReply {
  return reply.code(error.statusCode).type('application/json; charset=utf-8').send(error.body);
}

interface RouteMatcher {
  method: string;
  pattern: RegExp;
}

function routePattern(url: string): RegExp {
  const escaped = url
    .split('/')
    .map((segment) =>
      segment.startsWith(':')
        ? '[^/]+'
        : segment === '*'
          ? '.*'
          : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${escaped}/?$`);
}

/**
 * Installs the error handler, the not-found handler (404, or 405 when the path exists with another
 * method; with the documented error body, or a gateway's fault body as behaviour.unknownRoutes
 * says) and the bookkeeping of routes the 405 check needs. Call before registering routes.
 */
export function installErrorHandling(app: FastifyInstance): void {
  const routes: RouteMatcher[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods)
      routes.push({ method: method.toUpperCase(), pattern: routePattern(route.url) });
  });

  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const apiError = toApiError(error);
    if (apiError.statusCode >= 500) request.log.error({ err: error }, 'unexpected error');
    return sendError(reply, apiError);
  });

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = (request.url.split('?')[0] ?? '').replace(/\/{2,}/g, '/');
    const method = request.method.toUpperCase();
    const allowed = [
      ...new Set(routes.filter((route) => route.pattern.test(path)).map((route) => route.method)),
    ];
    const gateway = app.mockOptions.behaviour.unknownRoutes === 'gateway-fault';
    if (allowed.length > 0 && !allowed.includes(method)) {
      reply.header('allow', allowed.join(', '));
      return sendError(reply, gateway ? gatewayNoRoute(405, method, path) : methodNotAllowed(method, path));
    }
    return sendError(
      reply,
      gateway ? gatewayNoRoute(404, method, path) : notFound(`No resource at ${method} ${path}.`),
    );
  });
}
