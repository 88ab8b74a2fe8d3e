import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { OtpAlgorithm, OtpDigits, OtpPeriod } from '../core/otp-parameters.js';
import { generateIdentityKeyPair, registrationId } from '../crypto/identity-signature.js';
import { exportPrivateKey, generateSealingKeyPair } from '../crypto/x25519.js';
import type { MobileMessageName } from '../protocol/softtoken/messages.js';
import {
  createMobileClient,
  type MobileAnswer,
  type MobileMessageFields,
} from '../protocol/softtoken/mobile-client.js';
import { reach } from '../protocol/softtoken/remote-error.js';
import { createResponseChecker } from '../protocol/softtoken/response-checker.js';
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

export interface DeviceVault {
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

export interface DeviceOptions {
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
 * One phone: its vault (identity, sealing key, tokens, learned clock offsets), created on first
 * use, and its signed exchanges with provisioners.
 */
export function createDevice(options: DeviceOptions) {
  const clock = options.clock ?? Date.now;
  const vaultFile = openVaultFile<DeviceVault>(options.dir, options.pin);
  const checker = createResponseChecker();
  let warned = false;

  const save = async (vault: DeviceVault) => {
    if (vaultFile.usesKeyFile && !warned) {
      warned = true;
      options.onKeyFileWarning?.();
    }
    await vaultFile.save(vault);
  };

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

  /** The provisioner's time, as learned at the last exchange with it. */
  const serverNow = (vault: DeviceVault, server: string) =>
    clock() + (vault.clockOffsets[server] ?? 0);

  return {
    clock,
    load,
    save,
    serverNow,
    usesKeyFile: () => vaultFile.usesKeyFile,

    keys(vault: DeviceVault): { identity: KeyObject; sealing: KeyObject } {
      const key = (der: string) =>
        createPrivateKey({ key: Buffer.from(der, 'base64'), format: 'der', type: 'pkcs8' });
      return { identity: key(vault.device.identityKey), sealing: key(vault.device.sealingKey) };
    },

    /** Sends one signed message; learns the server's clock from the answer. */
    async send<N extends MobileMessageName>(
      vault: DeviceVault,
      server: string,
      name: N,
      fields: MobileMessageFields<N>,
      signal?: AbortSignal,
    ): Promise<MobileAnswer<N>> {
      const client = createMobileClient(
        server,
        {
          registrationId: vault.device.registrationId,
          identityPrivateKey: this.keys(vault).identity,
        },
        () => serverNow(vault, server),
        checker,
      );
      const response = await reach(server, () => client.send(name, fields, signal));
      const serverTime = response.d.server_time;
      if (serverTime !== undefined) {
        // Whole seconds: the answer carries no finer time. Under 2 s is noise, not drift.
        const offset = Math.round((serverTime * 1000 - clock()) / 1000) * 1000;
        vault.clockOffsets[server] = Math.abs(offset) < 2000 ? 0 : offset;
      }
      return response;
    },
  };
}

export type Device = ReturnType<typeof createDevice>;
