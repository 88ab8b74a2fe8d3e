import { createPrivateKey, createPublicKey } from 'node:crypto';
import { type ActivationCode, parseActivationCode } from '../core/activation-code.js';
import { buildActivationUri, parseActivationUri } from '../core/activation-uri.js';
import { TokenwardError } from '../core/errors.js';
import { parseHttpUrl } from '../core/http-url.js';
import type { OtpAlgorithm, OtpDigits, OtpPeriod } from '../core/otp-parameters.js';
import { buildOtpauthUri } from '../core/otpauth-uri.js';
import { generateTotp, totpStep } from '../core/totp.js';
import { generateIdentityKeyPair, registrationId } from '../crypto/identity-signature.js';
import { exportPrivateKey, exportRawPublicKey, generateSealingKeyPair } from '../crypto/x25519.js';
import type { SoftTokenResponse } from '../protocol/softtoken/gateway-client.js';
import type { MobileMessageName, PushContext } from '../protocol/softtoken/messages.js';
import {
  createMobileClient,
  type MobileMessageFields,
} from '../protocol/softtoken/mobile-client.js';
import { pushReplyHmac } from '../protocol/softtoken/push-proof.js';
import { reach, remoteError } from '../protocol/softtoken/remote-error.js';
import { openSeed } from '../protocol/softtoken/seed-sealing.js';
import { openVaultFile } from './vault.js';

/** A token as the phone keeps it (inside the encrypted vault). */
export interface VaultToken {
  serial: string;
  label: string;
  /** Base64. */
  seed: string;
  algorithm: OtpAlgorithm;
  digits: OtpDigits;
  period: OtpPeriod;
  server: string;
  activatedAt: number;
  exportAllowed: boolean;
  /** `moved`: the provisioner no longer has it on this phone (transferred or revoked). */
  status: 'active' | 'moved';
}

interface DeviceVault {
  device: {
    /** PKCS#8 DER, base64. */
    identityKey: string;
    sealingKey: string;
    registrationId: string;
    osVer: string;
    createdAt: number;
  };
  /** Per provisioner URL: its clock minus ours, in ms, learned from `server_time`. */
  clockOffsets: Record<string, number>;
  tokens: VaultToken[];
}

export interface PendingPush {
  readonly pushId: string;
  readonly serial: string;
  readonly server: string;
  readonly context: PushContext;
  readonly number?: number;
  /** Epoch seconds. */
  readonly expires: number;
}

export interface MobileTokenOptions {
  /** The device directory: one directory is one phone. */
  readonly dir: string;
  readonly pin?: string | undefined;
  /** The app version; os-ver is `<version>_CLI`. */
  readonly version: string;
  readonly clock?: () => number;
  /** Told once when the vault key is a file (TW_WARN_VAULT_KEYFILE). */
  readonly onKeyFileWarning?: () => void;
}

/**
 * The mobile token (the FortiToken Mobile role): a device identity, a vault of tokens, codes,
 * push answers and transfers. Every change is written to the vault before it is reported.
 */
export function createMobileToken(options: MobileTokenOptions) {
  const clock = options.clock ?? Date.now;
  const vaultFile = openVaultFile<DeviceVault>(options.dir, options.pin);
  let warned = false;

  const load = async (): Promise<DeviceVault> => {
    const existing = await vaultFile.load();
    if (existing !== undefined) return existing;
    const identity = generateIdentityKeyPair();
    const sealing = generateSealingKeyPair();
    const created: DeviceVault = {
      device: {
        identityKey: Buffer.from(exportPrivateKey(identity.privateKey)).toString('base64'),
        sealingKey: Buffer.from(exportPrivateKey(sealing.privateKey)).toString('base64'),
        registrationId: registrationId(identity.publicKey),
        // os-ver is at most 15 characters (DESIGN section 3).
        osVer: `${options.version}_CLI`.slice(0, 15),
        createdAt: clock(),
      },
      clockOffsets: {},
      tokens: [],
    };
    await save(created);
    return created;
  };

  const save = async (vault: DeviceVault) => {
    if (vaultFile.usesKeyFile && !warned) {
      warned = true;
      options.onKeyFileWarning?.();
    }
    await vaultFile.save(vault);
  };

  const keys = (vault: DeviceVault) => {
    const identity = createPrivateKey({
      key: Buffer.from(vault.device.identityKey, 'base64'),
      format: 'der',
      type: 'pkcs8',
    });
    const sealing = createPrivateKey({
      key: Buffer.from(vault.device.sealingKey, 'base64'),
      format: 'der',
      type: 'pkcs8',
    });
    return { identity, sealing };
  };

  /** The provisioner's time, as learned at the last exchange with it. */
  const serverNow = (vault: DeviceVault, server: string) =>
    clock() + (vault.clockOffsets[server] ?? 0);

  /** Sends one signed message; learns the server's clock from the answer. */
  const send = async <N extends MobileMessageName>(
    vault: DeviceVault,
    server: string,
    name: N,
    fields: MobileMessageFields<N>,
    signal?: AbortSignal,
  ): Promise<SoftTokenResponse> => {
    const client = createMobileClient(
      server,
      { registrationId: vault.device.registrationId, identityPrivateKey: keys(vault).identity },
      () => serverNow(vault, server),
    );
    const response = await reach(server, () => client.send(name, fields, signal));
    const serverTime = response.d.server_time;
    if (typeof serverTime === 'number') {
      // Whole seconds: the answer carries no finer time. Under 2 s is noise, not drift.
      const offset = Math.round((serverTime * 1000 - clock()) / 1000) * 1000;
      vault.clockOffsets[server] = Math.abs(offset) < 2000 ? 0 : offset;
    }
    return response;
  };

  const tokenIn = (vault: DeviceVault, serial: string | undefined): VaultToken => {
    const token =
      serial === undefined
        ? vault.tokens.find((t) => t.status === 'active')
        : vault.tokens.find((t) => t.serial === serial.toUpperCase());
    if (token === undefined) throw new TokenwardError('TW_TOKEN_NOT_IN_VAULT');
    return token;
  };

  const currentCode = (vault: DeviceVault, token: VaultToken) => {
    if (token.status === 'moved') throw new TokenwardError('TW_TOKEN_MOVED');
    const now = serverNow(vault, token.server);
    const seed = Buffer.from(token.seed, 'base64');
    const code = generateTotp({
      seed,
      now,
      algorithm: token.algorithm,
      digits: token.digits,
      period: token.period,
    });
    const validFor = (totpStep(now, token.period) + 1) * token.period - Math.floor(now / 1000);
    return { serial: token.serial, label: token.label, code, validFor };
  };

  /** Marks the tokens of `server` that the provisioner no longer has on this phone as moved. */
  const reconcile = (vault: DeviceVault, server: string, onPhone: readonly string[]) => {
    for (const token of vault.tokens) {
      if (token.server === server && token.status === 'active' && !onPhone.includes(token.serial))
        token.status = 'moved';
    }
  };

  const servers = (vault: DeviceVault) => [
    ...new Set(vault.tokens.filter((t) => t.status === 'active').map((t) => t.server)),
  ];

  /** Pending pushes for this phone's tokens, waiting up to `wait` seconds for one. */
  const pendingPushes = async (wait: number, signal?: AbortSignal): Promise<PendingPush[]> => {
    const vault = await load();
    const found: PendingPush[] = [];
    for (const server of servers(vault)) {
      const response = await send(vault, server, 'MobilePushPoll', { wait }, signal);
      if (response.d.result !== 2) throw remoteError(response);
      reconcile(vault, server, response.d.tokens as string[]);
      for (const push of response.d.pushes as {
        push_id: string;
        token: string;
        context: PushContext;
        number?: number;
        expires: number;
      }[]) {
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
    await save(vault);
    return found;
  };

  return {
    async info() {
      const vault = await load();
      const { identity, sealing } = keys(vault);
      return {
        registrationId: vault.device.registrationId,
        osVer: vault.device.osVer,
        identityKey: Buffer.from(exportRawPublicKey(createPublicKey(identity))).toString('base64'),
        sealingKey: Buffer.from(exportRawPublicKey(createPublicKey(sealing))).toString('base64'),
        tokens: vault.tokens.length,
        vault: vaultFile.usesKeyFile ? 'key file' : 'PIN',
      };
    },

    /**
     * Activates a token from a code (any case, spaces, dashes) or an activation URI. A transfer
     * code (its header says so) takes the token over from another phone.
     */
    async activate(input: { code?: string; uri?: string; server?: string; transfer?: boolean }) {
      let code: ActivationCode;
      let server = input.server;
      if (input.uri !== undefined || input.code?.startsWith('tokenward:') === true) {
        const parsed = parseActivationUri(input.uri ?? input.code ?? '');
        code = parsed.code;
        server ??= parsed.server;
      } else {
        code = parseActivationCode(input.code ?? '');
      }
      if (server !== undefined) parseHttpUrl(server, '--server');
      if (server === undefined) {
        throw new TokenwardError('TW_INPUT_INVALID', {
          message: 'Give the provisioning server with --server URL (or use the activation link).',
        });
      }
      const vault = await load();
      const sealing = createPublicKey(keys(vault).sealing);
      const identity = createPublicKey(keys(vault).identity);
      const codeField =
        input.transfer === true || code.kind === 'transfer'
          ? { transfer_code: code.code }
          : { activation_code: code.code };
      const response = await send(vault, server, 'MobileProvision', {
        ...codeField,
        identity_key: Buffer.from(exportRawPublicKey(identity)).toString('base64'),
        sealing_key: Buffer.from(exportRawPublicKey(sealing)).toString('base64'),
        mobile_device_version: vault.device.osVer,
      });
      if (response.d.result !== 2) throw remoteError(response);
      const serial = String(response.d.token);
      const seed = openSeed(
        keys(vault).sealing,
        String(response.d.seed),
        serial,
        vault.device.registrationId,
      );
      const token: VaultToken = {
        serial,
        label: String(response.d.label),
        seed: Buffer.from(seed).toString('base64'),
        algorithm: response.d.algorithm as OtpAlgorithm,
        digits: response.d.digits as OtpDigits,
        period: response.d.period as OtpPeriod,
        server,
        activatedAt: clock(),
        exportAllowed: response.d.export_allowed === true,
        status: 'active',
      };
      vault.tokens = [...vault.tokens.filter((t) => t.serial !== serial), token];
      await save(vault);
      return currentCode(vault, token);
    },

    /** The tokens on this phone; with `sync`, asks each provisioner which are still here. */
    async list(sync = true) {
      const vault = await load();
      if (sync) {
        for (const server of servers(vault)) {
          try {
            const response = await send(vault, server, 'MobilePushPoll', { wait: 0 });
            if (response.d.result === 2) reconcile(vault, server, response.d.tokens as string[]);
          } catch (error) {
            if (!(error instanceof TokenwardError && error.code === 'TW_PROVISIONER_UNREACHABLE'))
              throw error;
          }
        }
        await save(vault);
      }
      return vault.tokens.map(({ seed: _seed, ...token }) => token);
    },

    async code(serial?: string) {
      const vault = await load();
      return currentCode(vault, tokenIn(vault, serial));
    },

    async remove(serial: string) {
      const vault = await load();
      const token = tokenIn(vault, serial);
      vault.tokens = vault.tokens.filter((t) => t !== token);
      await save(vault);
    },

    pendingPushes,

    /** Approves (with the current code) or denies a push, proving the seed with an HMAC. */
    async answerPush(pushId: string, action: 'approve' | 'deny', number?: number) {
      const pending = (await pendingPushes(0)).find((push) => push.pushId === pushId);
      if (pending === undefined) throw new TokenwardError('TW_PUSH_CLOSED');
      const vault = await load();
      const token = tokenIn(vault, pending.serial);
      const seed = Buffer.from(token.seed, 'base64');
      const response = await send(vault, token.server, 'MobilePushReply', {
        push_id: pushId,
        token: token.serial,
        action,
        ...(action === 'approve' ? { token_code: currentCode(vault, token).code } : {}),
        ...(number === undefined ? {} : { number }),
        hmac: pushReplyHmac(seed, pushId, action),
      });
      await save(vault);
      if (response.d.result !== 2) throw remoteError(response);
    },

    /** Asks for a transfer code; the new phone activates with it (or with the returned URI). */
    async transfer(serial: string) {
      const vault = await load();
      const token = tokenIn(vault, serial);
      if (token.status === 'moved') throw new TokenwardError('TW_TOKEN_MOVED');
      const response = await send(vault, token.server, 'MobileTransfer', { token: token.serial });
      await save(vault);
      if (response.d.result !== 2) throw remoteError(response);
      const code = String(response.d.transfer_code);
      return {
        serial: token.serial,
        code,
        expires: Number(response.d.expires),
        server: token.server,
        uri: buildActivationUri(code, token.server),
      };
    },

    /** The token as an otpauth:// URI, only where its licence allows export. */
    async exportOtpauth(serial: string) {
      const vault = await load();
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
