import { ACTIVATION_EXPIRY_HOURS, TOKENS_PER_MESSAGE } from '../../core/limits.js';
import type { GatewayMessageName, MobileMessageName } from './messages.js';

/**
 * JSON Schemas (draft 2020-12 subset that Ajv checks) for every request, envelope fields
 * included. Limits keep one request's cost bounded: at most 1,000 tokens, short strings.
 */
type Schema = Record<string, unknown>;

const serial = { type: 'string', pattern: '^[A-Z0-9]{16}$' };
const shortText = (maxLength: number) => ({ type: 'string', maxLength });
const base64Key = { type: 'string', pattern: '^[A-Za-z0-9+/]{43}=$' };
const regId = { type: 'string', pattern: '^[0-9a-f]{64}$' };
const unixSeconds = { type: 'integer', minimum: 0, maximum: 99_999_999_999 };
const pushNumber = { type: 'integer', minimum: 0, maximum: 99 };

const envelope = (name: string) => ({
  __type: { const: `SoftToken.${name}Request` },
  __version: { const: '4' },
});

const gatewayBase = {
  serial_number: serial,
  __device_version: shortText(32),
  __device_build: shortText(32),
  __clustered_sns: {
    type: 'array',
    minItems: 1,
    maxItems: 32,
    items: {
      type: 'object',
      properties: { sn: serial },
      required: ['sn'],
      additionalProperties: false,
    },
  },
  __sealing_key: base64Key,
};
const gatewayRequired = ['serial_number', '__device_version', '__device_build', '__clustered_sns'];

function gateway(name: GatewayMessageName, properties: Schema, required: string[]): Schema {
  return {
    type: 'object',
    properties: { ...envelope(name), ...gatewayBase, ...properties },
    required: ['__type', '__version', ...gatewayRequired, ...required],
    additionalProperties: false,
  };
}

function tokenList(item: Schema, itemRequired: string[], minItems = 1): Schema {
  return {
    type: 'array',
    minItems,
    maxItems: TOKENS_PER_MESSAGE,
    items: {
      type: 'object',
      properties: item,
      required: itemRequired,
      additionalProperties: false,
    },
  };
}

function mobile(name: MobileMessageName, properties: Schema, required: string[]): Schema {
  return {
    type: 'object',
    properties: {
      ...envelope(name),
      registration_id: regId,
      timestamp: unixSeconds,
      nonce: { type: 'string', pattern: '^[A-Za-z0-9_-]{22}$' },
      signature: { type: 'string', pattern: '^[A-Za-z0-9+/]{86}==$' },
      ...properties,
    },
    required: [
      '__type',
      '__version',
      'registration_id',
      'timestamp',
      'nonce',
      'signature',
      ...required,
    ],
    additionalProperties: false,
  };
}

const activationCode = { type: 'string', minLength: 16, maxLength: 40 };

export const gatewayRequestSchemas: Record<GatewayMessageName, Schema> = {
  LicenseImport: gateway('LicenseImport', { code: shortText(64) }, ['code']),
  Provision: gateway(
    'Provision',
    {
      tokens: tokenList(
        {
          token: serial,
          expire_hours: {
            type: 'integer',
            minimum: ACTIVATION_EXPIRY_HOURS.min,
            maximum: ACTIVATION_EXPIRY_HOURS.max,
          },
          label: shortText(128),
        },
        ['token'],
      ),
    },
    ['tokens'],
  ),
  Polling: gateway(
    'Polling',
    {
      tokens: tokenList(
        { token: serial, seed_version: { type: 'integer', minimum: 0 } },
        ['token'],
        0,
      ),
    },
    ['tokens'],
  ),
  Revoke: gateway('Revoke', { tokens: tokenList({ token: serial }, ['token']) }, ['tokens']),
  Push: gateway(
    'Push',
    {
      token: serial,
      session_id: { type: 'string', minLength: 1, maxLength: 128 },
      context: {
        type: 'object',
        properties: {
          username: shortText(128),
          user_ip: shortText(64),
          user_agent: shortText(256),
          realm: shortText(128),
          timestamp: unixSeconds,
          log_message: shortText(256),
        },
        required: ['username', 'user_ip', 'user_agent', 'realm', 'timestamp', 'log_message'],
        additionalProperties: false,
      },
      number: pushNumber,
      ttl: { type: 'integer', minimum: 10, maximum: 300 },
    },
    ['token', 'session_id', 'context'],
  ),
  PushStatus: gateway(
    'PushStatus',
    {
      push_ids: { type: 'array', minItems: 1, maxItems: 100, items: shortText(64) },
      wait: { type: 'integer', minimum: 0, maximum: 30 },
    },
    ['push_ids'],
  ),
};

export const mobileRequestSchemas: Record<MobileMessageName, Schema> = {
  MobileProvision: {
    ...mobile(
      'MobileProvision',
      {
        activation_code: activationCode,
        transfer_code: activationCode,
        identity_key: base64Key,
        sealing_key: base64Key,
        mobile_device_version: { type: 'string', minLength: 1, maxLength: 15 },
      },
      ['identity_key', 'sealing_key', 'mobile_device_version'],
    ),
    // Exactly one of the two codes.
    oneOf: [{ required: ['activation_code'] }, { required: ['transfer_code'] }],
  },
  MobilePushPoll: mobile(
    'MobilePushPoll',
    { wait: { type: 'integer', minimum: 0, maximum: 30 } },
    [],
  ),
  MobilePushReply: mobile(
    'MobilePushReply',
    {
      push_id: shortText(64),
      token: serial,
      action: { enum: ['approve', 'deny'] },
      token_code: { type: 'string', pattern: '^[0-9]{6,8}$' },
      number: pushNumber,
      hmac: base64Key,
    },
    ['push_id', 'token', 'action', 'hmac'],
  ),
  MobileTransfer: mobile('MobileTransfer', { token: serial }, ['token']),
  MobilePushSubscribe: mobile(
    'MobilePushSubscribe',
    {
      subscription: {
        oneOf: [
          { type: 'null' },
          {
            type: 'object',
            properties: {
              // Push services are https (RFC 8030 section 8); no address in the page's reach.
              endpoint: { type: 'string', pattern: '^https://[^\\s]+$', maxLength: 2048 },
              keys: {
                type: 'object',
                properties: {
                  p256dh: { type: 'string', pattern: '^[A-Za-z0-9_-]{87}$' },
                  auth: { type: 'string', pattern: '^[A-Za-z0-9_-]{22}$' },
                },
                required: ['p256dh', 'auth'],
                additionalProperties: false,
              },
            },
            required: ['endpoint', 'keys'],
            additionalProperties: false,
          },
        ],
      },
    },
    ['subscription'],
  ),
};
