import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { TokenwardError } from '../../core/errors.js';
import {
  GATEWAY_MESSAGES,
  type GatewayMessageName,
  type GatewayRequests,
  type MessageError,
  type MessageResult,
  MOBILE_MESSAGES,
  type MobileMessageName,
  type MobileRequests,
} from './messages.js';
import { gatewayRequestSchemas, mobileRequestSchemas } from './request-schemas.js';

export const PROTOCOL_VERSION = '4';

export type ParsedGatewayRequest = {
  [N in GatewayMessageName]: { readonly name: N; readonly message: GatewayRequests[N] };
}[GatewayMessageName];

export type ParsedMobileRequest = {
  [N in MobileMessageName]: { readonly name: N; readonly message: MobileRequests[N] };
}[MobileMessageName];

export interface SoftTokenCodec {
  /** Parses and validates a gateway request body; throws a coded TokenwardError. */
  parseGatewayRequest(body: string): ParsedGatewayRequest;
  parseMobileRequest(body: string): ParsedMobileRequest;
}

/** Compiles the request schemas once; one codec per server. */
export function createSoftTokenCodec(): SoftTokenCodec {
  const ajv = new Ajv({
    allErrors: false,
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
  });
  const compile = <N extends string>(names: readonly N[], schemas: Record<N, object>) =>
    new Map<string, ValidateFunction>(names.map((name) => [name, ajv.compile(schemas[name])]));
  const gatewayValidators = compile(GATEWAY_MESSAGES, gatewayRequestSchemas);
  const mobileValidators = compile(MOBILE_MESSAGES, mobileRequestSchemas);

  const parse = (
    body: string,
    validators: Map<string, ValidateFunction>,
  ): { name: string; message: unknown } => {
    const envelope = parseEnvelope(body);
    const validate = validators.get(envelope.name);
    if (validate === undefined) {
      throw new TokenwardError('TW_PROTOCOL_TYPE_UNKNOWN', {
        message: `SoftToken.${envelope.name}Request is not served at this endpoint.`,
      });
    }
    if (!validate(envelope.message)) throw invalidMessage(validate.errors?.[0]);
    return { name: envelope.name, message: envelope.message };
  };

  return {
    parseGatewayRequest: (body) => parse(body, gatewayValidators) as ParsedGatewayRequest,
    parseMobileRequest: (body) => parse(body, mobileValidators) as ParsedMobileRequest,
  };
}

/** The ASMX envelope `{"d": {"__type": "SoftToken.<Name>Request", "__version": "4", ...}}`. */
function parseEnvelope(body: string): { name: string; message: Record<string, unknown> } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new TokenwardError('TW_PROTOCOL_MALFORMED', { detail: 'not JSON' });
  }
  const message = isObject(parsed) ? parsed.d : undefined;
  if (!isObject(message) || Object.keys(parsed as object).length !== 1) {
    throw new TokenwardError('TW_PROTOCOL_MALFORMED', { detail: 'no {"d": {...}} envelope' });
  }
  const type = message.__type;
  const match = typeof type === 'string' ? /^SoftToken\.([A-Za-z]{1,40})Request$/.exec(type) : null;
  if (match?.[1] === undefined) {
    throw new TokenwardError('TW_PROTOCOL_TYPE_UNKNOWN', { detail: 'bad __type' });
  }
  if (message.__version !== PROTOCOL_VERSION) {
    throw new TokenwardError('TW_PROTOCOL_VERSION_UNSUPPORTED');
  }
  return { name: match[1], message };
}

function invalidMessage(error: ErrorObject | undefined): TokenwardError {
  const field = error?.instancePath.replace(/^\//, '') || '(message)';
  const problem =
    error?.keyword === 'additionalProperties'
      ? `has an unknown field "${String(error.params.additionalProperty)}"`
      : error?.keyword === 'required'
        ? `lacks the field "${String(error.params.missingProperty)}"`
        : (error?.message ?? 'is invalid');
  return new TokenwardError('TW_MESSAGE_INVALID', {
    message: `Field ${field} ${problem}. Correct it and retry.`,
    detail: `${error?.schemaPath ?? ''}`,
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Builds a response envelope; `fields` keep their order, then `result` and `error` close it. */
export function buildResponse(
  name: string,
  fields: Record<string, unknown>,
  result: MessageResult,
  error: MessageError | null,
): { d: Record<string, unknown> } {
  return {
    d: {
      __type: `SoftToken.${name}Response`,
      __version: PROTOCOL_VERSION,
      ...fields,
      result,
      error,
    },
  };
}
