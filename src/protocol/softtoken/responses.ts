/**
 * The SoftToken protocol version 4 responses (DESIGN section 5) as TypeScript types, beside the
 * requests in messages.ts. Field names are the wire's. Every response ends with `result` and
 * `error`; with `result` 0 only those (and the echoed gateway fields) can be relied on, so each
 * message's own fields are optional at the envelope and complete per entry. Schemas for checking
 * them on arrival are in response-schemas.ts.
 */
import type { OtpAlgorithm, OtpDigits, OtpPeriod } from '../../core/otp-parameters.js';
import type { TokenState } from '../../core/token-state.js';
import type {
  GatewayMessageName,
  MessageError,
  MessageResult,
  MobileMessageName,
  PushContext,
} from './messages.js';

export interface ResponseBase {
  readonly result: MessageResult;
  readonly error: MessageError | null;
}

/** A per-entry error: the entry names what it is about, and why it failed. */
export interface EntryError {
  readonly error: MessageError;
}

export interface ClusterMemberStatus {
  readonly sn: string;
  readonly error: MessageError | null;
}

/** Fields every gateway response echoes. */
export interface GatewayResponseBase extends ResponseBase {
  readonly serial_number?: string;
  readonly __clustered_sns?: readonly ClusterMemberStatus[];
}

export interface LicensedToken {
  readonly token: string;
  readonly license: string;
  readonly state: TokenState;
}

export interface LicenseImportResponse extends GatewayResponseBase {
  readonly license?: string;
  readonly tokens?: readonly LicensedToken[];
}

export interface ProvisionedToken extends LicensedToken {
  readonly activation_code: string;
  /** Unix seconds. */
  readonly activation_expire: number;
  /** Sealed to the gateway's X25519 key (seed-sealing.ts). */
  readonly seed: string;
  readonly seed_version: number;
  readonly algorithm: OtpAlgorithm;
  readonly digits: OtpDigits;
  readonly period: OtpPeriod;
  readonly error: null;
}

export interface ProvisionResponse extends GatewayResponseBase {
  readonly tokens?: readonly (ProvisionedToken | (EntryError & { readonly token: string }))[];
}

export interface PolledToken extends LicensedToken {
  readonly registration_id: string | null;
  readonly mobile_device_version: string | null;
  /** Present when the gateway's seed_version is older: the new seed, sealed to the gateway. */
  readonly seed?: string;
  readonly seed_version?: number;
  readonly error: null;
}

export interface PollingResponse extends GatewayResponseBase {
  readonly tokens?: readonly (PolledToken | (EntryError & { readonly token: string }))[];
}

export interface RevokeResponse extends GatewayResponseBase {
  readonly tokens?: readonly {
    readonly token: string;
    readonly state: 'new' | null;
    readonly error: MessageError | null;
  }[];
}

export interface PushResponse extends GatewayResponseBase {
  readonly push_id?: string;
}

export type PushStatusWord = 'pending' | 'approved' | 'denied' | 'expired';

export interface PushStatusEntry {
  readonly push_id: string;
  readonly status: PushStatusWord;
  /** With an approval: the code the phone sent, for the gateway to check. */
  readonly token_code: string | null;
  readonly hmac: string | null;
  readonly error: null;
}

export interface PushStatusResponse extends GatewayResponseBase {
  readonly pushes?: readonly (
    | PushStatusEntry
    | (EntryError & { readonly push_id: string; readonly status: null })
  )[];
}

/** Every phone response carries the server's clock (Unix seconds), stamped when answered. */
export interface MobileResponseBase extends ResponseBase {
  readonly server_time?: number;
}

export interface MobileProvisionResponse extends MobileResponseBase {
  readonly token?: string;
  /** Sealed to the phone's X25519 key. */
  readonly seed?: string;
  readonly algorithm?: OtpAlgorithm;
  readonly digits?: OtpDigits;
  readonly period?: OtpPeriod;
  readonly label?: string;
  readonly export_allowed?: boolean;
}

export interface PendingPushEntry {
  readonly push_id: string;
  readonly token: string;
  readonly context: PushContext;
  readonly number?: number;
  /** Unix seconds. */
  readonly expires: number;
}

export interface MobilePushPollResponse extends MobileResponseBase {
  /** The tokens on this phone: one that is gone has moved to another phone or was revoked. */
  readonly tokens?: readonly string[];
  readonly pushes?: readonly PendingPushEntry[];
}

export interface MobilePushReplyResponse extends MobileResponseBase {
  readonly accepted?: boolean;
}

export interface MobileTransferResponse extends MobileResponseBase {
  readonly transfer_code?: string;
  /** Unix seconds. */
  readonly expires?: number;
}

export interface MobilePushSubscribeResponse extends MobileResponseBase {
  readonly subscribed?: boolean;
}

export interface GatewayResponses {
  LicenseImport: LicenseImportResponse;
  Provision: ProvisionResponse;
  Polling: PollingResponse;
  Revoke: RevokeResponse;
  Push: PushResponse;
  PushStatus: PushStatusResponse;
}

export interface MobileResponses {
  MobileProvision: MobileProvisionResponse;
  MobilePushPoll: MobilePushPollResponse;
  MobilePushReply: MobilePushReplyResponse;
  MobileTransfer: MobileTransferResponse;
  MobilePushSubscribe: MobilePushSubscribeResponse;
}

/** What a use case answers for message N: its own fields (the base is added by the server). */
export type ResponseFields<R extends ResponseBase> = {
  readonly [K in Exclude<keyof R, keyof GatewayResponseBase | keyof MobileResponseBase>]-?: Exclude<
    R[K],
    undefined
  >;
};

export type GatewayResponseFields<N extends GatewayMessageName> = ResponseFields<
  GatewayResponses[N]
>;
export type MobileResponseFields<N extends MobileMessageName> = ResponseFields<MobileResponses[N]>;
