import { createPublicKey } from 'node:crypto';
import { type ActivationCode, parseActivationCode } from '../core/activation-code.js';
import { buildActivationUri, parseActivationUri } from '../core/activation-uri.js';
import { TokenwardError } from '../core/errors.js';
import { parseHttpUrl } from '../core/http-url.js';
import { buildOtpauthUri } from '../core/otpauth-uri.js';
import { generateTotp, totpStep } from '../core/totp.js';
import { exportRawPublicKey } from '../crypto/x25519.js';
import type { PushContext } from '../protocol/softtoken/messages.js';
import { pushReplyHmac } from '../protocol/softtoken/push-proof.js';
import { remoteError } from '../protocol/softtoken/remote-error.js';
import { openSeed } from '../protocol/softtoken/seed-sealing.js';
import {
  createDevice,
  type Device,
  type DeviceOptions,
  type DeviceVault,
  type VaultToken,
} from './device.js';

export type { VaultToken } from './device.js';

export interface PendingPush {
  readonly pushId: string;
  readonly serial: string;
  readonly server: string;
  readonly context: PushContext;
  readonly number?: number;
  /** Epoch seconds. */
  readonly expires: number;
}

export type MobileTokenOptions = DeviceOptions;

/**
 * The mobile token (the FortiToken Mobile role): a device identity, a vault of tokens, codes,
 * push answers and transfers. Every change is written to the vault before it is reported.
 */
export function createMobileToken(options: MobileTokenOptions) {
  const device = createDevice(options);
  return {
    info: () => deviceInfo(device),
    activate: (input: ActivationInput) => activateToken(device, input),
    list: (sync = true) => listTokens(device, sync),

    async code(serial?: string) {
      const vault = await device.load();
      return currentCode(device, vault, tokenIn(vault, serial));
    },

    async remove(serial: string) {
      const vault = await device.load();
      const token = tokenIn(vault, serial);
      vault.tokens = vault.tokens.filter((t) => t !== token);
      await device.save(vault);
    },

    pendingPushes: (wait: number, signal?: AbortSignal) => pendingPushes(device, wait, signal),
    answerPush: (pushId: string, action: 'approve' | 'deny', number?: number) =>
      answerPush(device, pushId, action, number),
    transfer: (serial: string) => requestTransfer(device, serial),

    /** The token as an otpauth:// URI, only where its licence allows export. */
    async exportOtpauth(serial: string) {
      const vault = await device.load();
      const token = tokenIn(vault, serial);
      if (!token.exportAllowed) throw new TokenwardError('TW_EXPORT_FORBIDDEN');
      return buildOtpauthUri({
        seed: Buffer.from(token.seed, 'base64'),
        account: token.label.replaceAll(':', ' '),
        issuer: 'Tokenward',
        algorithm: token.algorithm,
        digits: token.digits,
        period: token.period,
      });
    },
  };
}

export type MobileToken = ReturnType<typeof createMobileToken>;

export interface ActivationInput {
  readonly code?: string;
  readonly uri?: string;
  readonly server?: string;
  readonly transfer?: boolean;
}

async function deviceInfo(device: Device) {
  const vault = await device.load();
  const { identity, sealing } = device.keys(vault);
  return {
    registrationId: vault.device.registrationId,
    osVer: vault.device.osVer,
    identityKey: Buffer.from(exportRawPublicKey(createPublicKey(identity))).toString('base64'),
    sealingKey: Buffer.from(exportRawPublicKey(createPublicKey(sealing))).toString('base64'),
    tokens: vault.tokens.length,
    vault: device.usesKeyFile() ? 'key file' : 'PIN',
  };
}

/**
 * Activates a token from a code (any case, spaces, dashes) or an activation URI. A transfer code
 * (its header says so) takes the token over from another phone.
 */
async function activateToken(device: Device, input: ActivationInput) {
  let code: ActivationCode;
  let server = input.server;
  if (input.uri !== undefined || /^(tokenward:|https?:\/\/)/.test(input.code ?? '')) {
    const parsed = parseActivationUri(input.uri ?? input.code ?? '');
    code = parsed.code;
    server ??= parsed.server;
  } else {
    code = parseActivationCode(input.code ?? '');
  }
  if (server === undefined) {
    throw new TokenwardError('TW_OPTION_INVALID', {
      message: 'Give the provisioning server with --server URL (or use the activation link).',
      data: { field: '--server' },
    });
  }
  parseHttpUrl(server, '--server');
  const vault = await device.load();
  const keys = device.keys(vault);
  const publicKey = (key: typeof keys.sealing) =>
    Buffer.from(exportRawPublicKey(createPublicKey(key))).toString('base64');
  const response = await device.send(vault, server, 'MobileProvision', {
    ...(input.transfer === true || code.kind === 'transfer'
      ? { transfer_code: code.code }
      : { activation_code: code.code }),
    identity_key: publicKey(keys.identity),
    sealing_key: publicKey(keys.sealing),
    mobile_device_version: vault.device.osVer,
  });
  const { result, token: serial, seed, algorithm, digits, period, label } = response.d;
  if (
    result !== 2 ||
    serial === undefined ||
    seed === undefined ||
    algorithm === undefined ||
    digits === undefined ||
    period === undefined
  ) {
    throw remoteError(response);
  }
  const opened = openSeed(keys.sealing, seed, serial, vault.device.registrationId);
  const token: VaultToken = {
    serial,
    label: label ?? serial,
    seed: Buffer.from(opened).toString('base64'),
    algorithm,
    digits,
    period,
    server,
    activatedAt: device.clock(),
    exportAllowed: response.d.export_allowed === true,
    status: 'active',
  };
  vault.tokens = [...vault.tokens.filter((t) => t.serial !== serial), token];
  await device.save(vault);
  return currentCode(device, vault, token);
}

/** The tokens on this phone; with `sync`, asks each provisioner which are still here. */
async function listTokens(device: Device, sync: boolean) {
  const vault = await device.load();
  if (sync) {
    for (const server of servers(vault)) {
      try {
        const response = await device.send(vault, server, 'MobilePushPoll', { wait: 0 });
        if (response.d.result === 2) reconcile(vault, server, response.d.tokens ?? []);
      } catch (error) {
        if (!(error instanceof TokenwardError && error.code === 'TW_PROVISIONER_UNREACHABLE'))
          throw error;
      }
    }
    await device.save(vault);
  }
  return vault.tokens.map(({ seed: _seed, ...token }) => token);
}

/** Pending pushes for this phone's tokens, waiting up to `wait` seconds for one. */
async function pendingPushes(
  device: Device,
  wait: number,
  signal?: AbortSignal,
): Promise<PendingPush[]> {
  const vault = await device.load();
  const found: PendingPush[] = [];
  for (const server of servers(vault)) {
    const response = await device.send(vault, server, 'MobilePushPoll', { wait }, signal);
    const { result, tokens, pushes } = response.d;
    if (result !== 2 || tokens === undefined || pushes === undefined) throw remoteError(response);
    reconcile(vault, server, tokens);
    for (const push of pushes) {
      found.push({
        pushId: push.push_id,
        serial: push.token,
        server,
        context: push.context,
        ...(push.number === undefined ? {} : { number: push.number }),
        expires: push.expires,
      });
    }
  }
  await device.save(vault);
  return found;
}

/** Approves (with the current code) or denies a push, proving the seed with an HMAC. */
async function answerPush(
  device: Device,
  pushId: string,
  action: 'approve' | 'deny',
  number?: number,
): Promise<void> {
  const pending = (await pendingPushes(device, 0)).find((push) => push.pushId === pushId);
  if (pending === undefined) throw new TokenwardError('TW_PUSH_CLOSED');
  const vault = await device.load();
  const token = tokenIn(vault, pending.serial);
  const seed = Buffer.from(token.seed, 'base64');
  const response = await device.send(vault, token.server, 'MobilePushReply', {
    push_id: pushId,
    token: token.serial,
    action,
    ...(action === 'approve' ? { token_code: currentCode(device, vault, token).code } : {}),
    ...(number === undefined ? {} : { number }),
    hmac: pushReplyHmac(seed, pushId, action),
  });
  await device.save(vault);
  if (response.d.result !== 2) throw remoteError(response);
}

/** Asks for a transfer code; the new phone activates with it (or with the returned URI). */
async function requestTransfer(device: Device, serial: string) {
  const vault = await device.load();
  const token = tokenIn(vault, serial);
  if (token.status === 'moved') throw new TokenwardError('TW_TOKEN_MOVED');
  const response = await device.send(vault, token.server, 'MobileTransfer', {
    token: token.serial,
  });
  await device.save(vault);
  const { result, transfer_code: code, expires } = response.d;
  if (result !== 2 || code === undefined || expires === undefined) throw remoteError(response);
  return {
    serial: token.serial,
    code,
    expires,
    server: token.server,
    uri: buildActivationUri(code, token.server),
  };
}

function tokenIn(vault: DeviceVault, serial: string | undefined): VaultToken {
  const token =
    serial === undefined
      ? vault.tokens.find((t) => t.status === 'active')
      : vault.tokens.find((t) => t.serial === serial.toUpperCase());
  if (token === undefined) throw new TokenwardError('TW_TOKEN_NOT_IN_VAULT');
  return token;
}

function currentCode(device: Device, vault: DeviceVault, token: VaultToken) {
  if (token.status === 'moved') throw new TokenwardError('TW_TOKEN_MOVED');
  const now = device.serverNow(vault, token.server);
  const code = generateTotp({
    seed: Buffer.from(token.seed, 'base64'),
    now,
    algorithm: token.algorithm,
    digits: token.digits,
    period: token.period,
  });
  const validFor = (totpStep(now, token.period) + 1) * token.period - Math.floor(now / 1000);
  return { serial: token.serial, label: token.label, code, validFor };
}

/** Marks the tokens of `server` that the provisioner no longer has on this phone as moved. */
function reconcile(vault: DeviceVault, server: string, onPhone: readonly string[]): void {
  for (const token of vault.tokens) {
    if (token.server === server && token.status === 'active' && !onPhone.includes(token.serial))
      token.status = 'moved';
  }
}

function servers(vault: DeviceVault): string[] {
  return [...new Set(vault.tokens.filter((t) => t.status === 'active').map((t) => t.server))];
}
