import { Ajv, type ValidateFunction } from 'ajv';
import { TokenwardError } from '../../core/errors.js';
import {
  GATEWAY_MESSAGES,
  type GatewayMessageName,
  MOBILE_MESSAGES,
  type MobileMessageName,
} from './messages.js';
import { gatewayResponseSchemas, mobileResponseSchemas } from './response-schemas.js';
import type { GatewayResponses, MobileResponses } from './responses.js';

/** A response as its sender receives it: the HTTP status and the checked `d` object. */
export interface SoftTokenResponse<R> {
  readonly status: number;
  readonly d: R;
}

/**
 * Checks responses against their schemas (response-schemas.ts) on arrival, so a caller reads
 * typed fields instead of casting: a provisioner that answers off the protocol is refused with
 * TW_NOT_A_PROVISIONER naming the field, not misread. Compiled once per client.
 */
export function createResponseChecker() {
  const ajv = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true });
  const compile = <N extends string>(names: readonly N[], schemas: Record<N, object>) =>
    new Map<string, ValidateFunction>(names.map((name) => [name, ajv.compile(schemas[name])]));
  const gateway = compile(GATEWAY_MESSAGES, gatewayResponseSchemas);
  const mobile = compile(MOBILE_MESSAGES, mobileResponseSchemas);

  const check = (validators: Map<string, ValidateFunction>, name: string, d: unknown) => {
    const validate = validators.get(name);
    if (validate?.(d)) return d;
    const error = validate?.errors?.[0];
    throw new TokenwardError('TW_NOT_A_PROVISIONER', {
      message: `The provisioner's SoftToken.${name}Response does not follow protocol version 4 (${error?.instancePath || 'd'} ${error?.message ?? 'is invalid'}). Check that the gateway and the provisioner run the same Tokenward version.`,
      detail: error?.schemaPath ?? '',
    });
  };

  return {
    gateway: <N extends GatewayMessageName>(name: N, d: unknown): GatewayResponses[N] =>
      check(gateway, name, d) as GatewayResponses[N],
    mobile: <N extends MobileMessageName>(name: N, d: unknown): MobileResponses[N] =>
      check(mobile, name, d) as MobileResponses[N],
  };
}

export type ResponseChecker = ReturnType<typeof createResponseChecker>;
