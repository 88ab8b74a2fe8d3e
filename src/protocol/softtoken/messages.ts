/**
 * The SoftToken protocol version 4 messages (DESIGN section 5) as TypeScript types. Field names
 * are the wire's. Schemas for the requests are in request-schemas.ts.
 */

export interface MessageError {
  readonly code: string;
  readonly message: string;
  /** Facts the caller may act on, e.g. `retry_after` (seconds). */
  readonly [fact: string]: string | number;
}

export interface ClusterMember {
  readonly sn: string;
}

/** Fields every gateway request carries. */
export interface GatewayRequestBase {
  readonly serial_number: string;
  readonly __device_version: string;
  readonly __device_build: string;
  readonly __clustered_sns: readonly ClusterMember[];
  /** Our extension: the gateway's X25519 public key (base64), registered on first request. */
  readonly __sealing_key?: string;
}

export interface LicenseImportRequest extends GatewayRequestBase {
  readonly code: string;
}

export interface ProvisionRequest extends GatewayRequestBase {
  readonly tokens: readonly {
    readonly token: string;
    readonly expire_hours?: number;
    /** Our extension: what the phone shows for the token, e.g. `alice@vpn.example.com`. */
    readonly label?: string;
  }[];
}

export interface PollingRequest extends GatewayRequestBase {
  readonly tokens: readonly {
    readonly token: string;
    /** Our extension: the seed version the gateway holds; a newer seed comes back sealed. */
    readonly seed_version?: number;
  }[];
}

export interface RevokeRequest extends GatewayRequestBase {
  readonly tokens: readonly { readonly token: string }[];
}

export interface PushContext {
  readonly username: string;
  readonly user_ip: string;
  readonly user_agent: string;
  readonly realm: string;
  readonly timestamp: number;
  readonly log_message: string;
}

export interface PushRequest extends GatewayRequestBase {
  readonly token: string;
  readonly session_id: string;
  readonly context: PushContext;
  readonly number?: number;
  readonly ttl?: number;
}

export interface PushStatusRequest extends GatewayRequestBase {
  readonly push_ids: readonly string[];
  readonly wait?: number;
}

/** Fields every phone request carries; `signature` is Ed25519 over the rest, canonical JSON. */
export interface MobileRequestBase {
  readonly registration_id: string;
  /** Unix seconds; requests more than 300 s from the server clock are refused. */
  readonly timestamp: number;
  /** 16 random bytes, base64url: each signed request is taken once. */
  readonly nonce: string;
  readonly signature: string;
}

export interface MobileProvisionRequest extends MobileRequestBase {
  readonly activation_code?: string;
  readonly transfer_code?: string;
  readonly identity_key: string;
  readonly sealing_key: string;
  readonly mobile_device_version: string;
}

export interface MobilePushPollRequest extends MobileRequestBase {
  readonly wait?: number;
}

export interface MobilePushReplyRequest extends MobileRequestBase {
  readonly push_id: string;
  readonly token: string;
  readonly action: 'approve' | 'deny';
  readonly token_code?: string;
  readonly number?: number;
  readonly hmac: string;
}

export interface MobileTransferRequest extends MobileRequestBase {
  readonly token: string;
}

/** A browser's Web Push subscription (the Push API's PushSubscription as JSON, RFC 8030). */
export interface WebPushSubscription {
  /** The push service's https URL for this browser. */
  readonly endpoint: string;
  readonly keys: {
    /** The browser's P-256 public key, base64url (RFC 8291 section 3.2). */
    readonly p256dh: string;
    /** Its 16-byte authentication secret, base64url. */
    readonly auth: string;
  };
}

/** Ours: where to send a Web Push when a push waits for this phone; null stops them. */
export interface MobilePushSubscribeRequest extends MobileRequestBase {
  readonly subscription: WebPushSubscription | null;
}

export interface GatewayRequests {
  LicenseImport: LicenseImportRequest;
  Provision: ProvisionRequest;
  Polling: PollingRequest;
  Revoke: RevokeRequest;
  Push: PushRequest;
  PushStatus: PushStatusRequest;
}

export interface MobileRequests {
  MobileProvision: MobileProvisionRequest;
  MobilePushPoll: MobilePushPollRequest;
  MobilePushReply: MobilePushReplyRequest;
  MobileTransfer: MobileTransferRequest;
  MobilePushSubscribe: MobilePushSubscribeRequest;
}

export type GatewayMessageName = keyof GatewayRequests;
export type MobileMessageName = keyof MobileRequests;
export type MessageName = GatewayMessageName | MobileMessageName;

export const GATEWAY_MESSAGES: readonly GatewayMessageName[] = [
  'LicenseImport',
  'Provision',
  'Polling',
  'Revoke',
  'Push',
  'PushStatus',
];

export const MOBILE_MESSAGES: readonly MobileMessageName[] = [
  'MobileProvision',
  'MobilePushPoll',
  'MobilePushReply',
  'MobileTransfer',
  'MobilePushSubscribe',
];

/** `result`: 2 everything succeeded, 1 partly (see per-entry `error`), 0 failed. */
export type MessageResult = 0 | 1 | 2;
