import { TOKENS_PER_MESSAGE } from '../../core/limits.js';
import { TOKEN_STATES } from '../../core/token-state.js';
import type { GatewayMessageName, MobileMessageName } from './messages.js';

/**
 * JSON Schemas for every response, as a client checks them on arrival (responses.ts has the
 * types). Unknown fields are allowed (a newer provisioner may add some); the fields a client
 * reads are required where the response says it succeeded, and typed wherever they appear.
 */
type Schema = Record<string, unknown>;

const text = { type: 'string', maxLength: 4096 };
const nullableText = { type: ['string', 'null'], maxLength: 4096 };
const unixSeconds = { type: 'integer', minimum: 0 };
const errorObject = {
  type: 'object',
  properties: { code: { type: 'string' }, message: { type: 'string' } },
  required: ['code', 'message'],
};
const nullableError = { anyOf: [{ type: 'null' }, errorObject] };
const state = { enum: TOKEN_STATES };
const otpParameters = {
  algorithm: { enum: ['SHA1', 'SHA256', 'SHA512'] },
  digits: { enum: [6, 8] },
  period: { enum: [30, 60] },
};

/** A response: `result` and `error` always; `fields`, and `required` ones when result is 2. */
function response(fields: Schema, required: string[] = []): Schema {
  return {
    type: 'object',
    properties: {
      result: { enum: [0, 1, 2] },
      error: nullableError,
      server_time: unixSeconds,
      __clustered_sns: {
        type: 'array',
        items: {
          type: 'object',
          properties: { sn: text, error: nullableError },
          required: ['sn'],
        },
      },
      ...fields,
    },
    required: ['result', 'error'],
    // A success carries its fields; a failure (result 0 or 1) need not.
    ...(required.length === 0
      ? {}
      : { anyOf: [{ properties: { result: { enum: [0, 1] } } }, { required }] }),
  };
}

/** A list of entries, each complete (`required`) unless it carries its own error. */
function entries(properties: Schema, required: string[], maxItems = TOKENS_PER_MESSAGE): Schema {
  return {
    type: 'array',
    maxItems,
    items: {
      type: 'object',
      properties: { ...properties, error: nullableError },
      required: ['error'],
      // An entry with its own error need only name what it is about.
      anyOf: [{ properties: { error: errorObject } }, { required }],
    },
  };
}

const licensed = { token: text, license: text, state };

export const gatewayResponseSchemas: Record<GatewayMessageName, Schema> = {
  LicenseImport: response(
    {
      license: text,
      tokens: {
        type: 'array',
        maxItems: TOKENS_PER_MESSAGE,
        items: { type: 'object', properties: licensed, required: ['token', 'license', 'state'] },
      },
    },
    ['license', 'tokens'],
  ),
  Provision: response(
    {
      tokens: entries(
        {
          ...licensed,
          activation_code: text,
          activation_expire: unixSeconds,
          seed: text,
          seed_version: { type: 'integer', minimum: 0 },
          ...otpParameters,
        },
        [
          'token',
          'activation_code',
          'activation_expire',
          'seed',
          'seed_version',
          'algorithm',
          'digits',
          'period',
        ],
      ),
    },
    ['tokens'],
  ),
  Polling: response(
    {
      tokens: entries(
        {
          ...licensed,
          registration_id: nullableText,
          mobile_device_version: nullableText,
          seed: text,
          seed_version: { type: 'integer', minimum: 0 },
        },
        ['token', 'state', 'registration_id', 'mobile_device_version'],
      ),
    },
    ['tokens'],
  ),
  Revoke: response(
    { tokens: entries({ token: text, state: { enum: ['new', null] } }, ['token']) },
    ['tokens'],
  ),
  Push: response({ push_id: text }, ['push_id']),
  PushStatus: response(
    {
      pushes: entries(
        {
          push_id: text,
          status: { enum: ['pending', 'approved', 'denied', 'expired', null] },
          token_code: nullableText,
          hmac: nullableText,
        },
        ['push_id', 'status'],
        100,
      ),
    },
    ['pushes'],
  ),
};

export const mobileResponseSchemas: Record<MobileMessageName, Schema> = {
  MobileProvision: response(
    { token: text, seed: text, ...otpParameters, label: text, export_allowed: { type: 'boolean' } },
    ['token', 'seed', 'algorithm', 'digits', 'period', 'label'],
  ),
  MobilePushPoll: response(
    {
      tokens: { type: 'array', items: text, maxItems: TOKENS_PER_MESSAGE },
      pushes: {
        type: 'array',
        maxItems: 100,
        items: {
          type: 'object',
          properties: {
            push_id: text,
            token: text,
            context: { type: 'object' },
            number: { type: 'integer' },
            expires: unixSeconds,
          },
          required: ['push_id', 'token', 'context', 'expires'],
        },
      },
    },
    ['tokens', 'pushes'],
  ),
  MobilePushReply: response({ accepted: { type: 'boolean' } }),
  MobilePushSubscribe: response({ subscribed: { type: 'boolean' } }, ['subscribed']),
  MobileTransfer: response({ transfer_code: text, expires: unixSeconds }, [
    'transfer_code',
    'expires',
  ]),
};
