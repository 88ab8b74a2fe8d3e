import type { Logger } from 'pino';
import { TokenwardError } from '../core/errors.js';
import { parseHttpUrl } from '../core/http-url.js';
import { parseLicenceCode } from '../core/licence.js';
import { parseEmailAddress, parseName, parsePhoneNumber } from '../core/names.js';
import type { OtpAlgorithm, OtpDigits, OtpPeriod } from '../core/otp-parameters.js';
import { checkPasswordPolicy, PASSWORD_MIN_LENGTH } from '../core/password-policy.js';
import { parseSerial } from '../core/serial.js';
import type { TokenState } from '../core/token-state.js';
import type { AtRestCipher } from '../crypto/at-rest-cipher.js';
import { hashPassword } from '../crypto/password-hash.js';
import { remoteError } from '../protocol/softtoken/remote-error.js';
import type { Fortitoken } from '../store/repositories/fortitoken-repository.js';
import type { User } from '../store/repositories/user-repository.js';
import type { TwoFactor } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { notFound } from '../store/unique-violation.js';
import { readGatewayPolicy } from './gateway-settings.js';
import { newFortitoken } from './new-fortitoken.js';
import { newUser } from './new-user.js';
import type { Notifier } from './notifier.js';
import {
  createProvisionerConnection,
  createProvisionerLink,
  newCredential,
  type ProvisionerConnection,
  saveCredential,
} from './provisioner-link.js';
import { describeTokenServerStatus } from './token-server-status.js';

export interface GatewayDependencies {
  readonly store: Store;
  readonly cipher: AtRestCipher;
  readonly log: Logger;
  readonly notifier: Notifier;
  readonly clock?: () => number;
  /** This node's serial, when several gateway nodes share the database. */
  readonly serial?: string;
  /** Overrides the enrolled provisioner URL (the provisioner moved). */
  readonly provisionerUrl?: string;
  /** Shared with the auth engine of the same node; made from the above when absent. */
  readonly connection?: ProvisionerConnection;
}

/** The AAD of a token's activation code encrypted at rest (also read by config import). */
export const codeAad = (serial: string) => `fortitoken-activation-code:${serial}`;

/** At most this many tokens per Polling request. */
export const POLL_BATCH = 1000;

export interface NewUser {
  readonly name: string;
  readonly password: string;
  readonly email?: string;
  readonly sms?: string;
  readonly twoFactor?: TwoFactor;
  /** A serial, `auto` for a free token of the licences, or none. */
  readonly token?: string;
}

/**
 * The gateway's management side (the FortiGate role): its link to the provisioner, licences,
 * users, tokens and their activation, and polling. Logins are the auth engine's.
 */
export function createGateway(deps: GatewayDependencies) {
  const { store, cipher, log, notifier } = deps;
  const clock = deps.clock ?? Date.now;
  const connection =
    deps.connection ??
    createProvisionerConnection({
      store,
      cipher,
      clock,
      serial: deps.serial,
      provisionerUrl: deps.provisionerUrl,
    });
  const provisioner = connection.current;
  const exchange = connection.exchange;

  const tokenNamed = async (serial: string): Promise<Fortitoken> => {
    const token = await store.fortitokens.find(parseSerial(serial));
    if (token === undefined) throw notFound(`Token ${serial}`);
    return token;
  };

  const seedAad = (serial: string) => `fortitoken-seed:${serial}`;

  /** Sends the token's stored activation code to its user, by e-mail or else SMS. */
  const deliver = async (token: Fortitoken): Promise<string> => {
    const user = await store.users.findByToken(token.serial);
    if (
      user === undefined ||
      token.activationCodeEnc === null ||
      token.activationExpiresAt === null
    ) {
      throw new TokenwardError('TW_DELIVERY_FAILED', {
        message: `Token ${token.serial} has no user or no activation code to send.`,
      });
    }
    const message = {
      serial: token.serial,
      code: Buffer.from(cipher.decrypt(token.activationCodeEnc, codeAad(token.serial))).toString(
        'utf8',
      ),
      expiresAt: token.activationExpiresAt,
      provisionerUrl: (await provisioner()).provisionerUrl,
      username: user.name,
    };
    const channel =
      user.email !== null
        ? `e-mail to ${user.email}`
        : user.smsPhone !== null
          ? `SMS to ${user.smsPhone}`
          : undefined;
    if (channel === undefined) {
      throw new TokenwardError('TW_DELIVERY_FAILED', {
        message: `User ${user.name} has neither an e-mail address nor an SMS number.`,
      });
    }
    try {
      if (user.email !== null) await notifier.email(user.email, message);
      else if (user.smsPhone !== null) await notifier.sms(user.smsPhone, message);
    } catch (error) {
      await store.auditLog.append({
        at: clock(),
        actor: 'gateway',
        action: 'token.deliver',
        subject: token.serial,
        outcome: 'failure',
        detail: { channel },
      });
      log.error(
        { serial: token.serial, channel, code: (error as TokenwardError).code },
        'activation delivery failed',
      );
      throw error;
    }
    await store.auditLog.append({
      at: clock(),
      actor: 'gateway',
      action: 'token.deliver',
      subject: token.serial,
      outcome: 'success',
      detail: { channel },
    });
    return channel;
  };

  /** A token of the licences that no user holds and no phone has. */
  const freeToken = async (): Promise<string> => {
    const taken = new Set((await store.users.list()).map((u) => u.tokenSerial));
    const free = (await store.fortitokens.list({ state: 'new' })).find((t) => !taken.has(t.serial));
    if (free === undefined) throw new TokenwardError('TW_TOKEN_NO_FREE');
    return free.serial;
  };

  /**
   * Issues a new activation code (and seed) and sends it. A token active on a phone is cut off
   * by this, so it is refused unless `reprovision` says the admin confirmed exactly that.
   */
  const provisionToken = async (
    serial: string,
    expireHours?: number,
    options: { reprovision?: boolean } = {},
  ) => {
    const token = await tokenNamed(serial);
    if (token.state === 'provisioned' && options.reprovision !== true) {
      throw new TokenwardError('TW_TOKEN_ACTIVE', {
        message: `Token ${token.serial} is active on a phone. To move it to a new phone (the old one stops working), reprovision it: \`gateway token reprovision ${token.serial} --yes\` or Reprovision in the console.`,
      });
    }
    const user = await store.users.findByToken(token.serial);
    const label = user === undefined ? undefined : `${user.name}@${(await provisioner()).serial}`;
    const hours = expireHours ?? (await readGatewayPolicy(store)).activationExpiryHours;
    const response = await exchange((l) =>
      l.send('Provision', {
        tokens: [
          {
            token: token.serial,
            expire_hours: hours,
            ...(label === undefined ? {} : { label }),
          },
        ],
      }),
    );
    const entry = (response.d.tokens as Record<string, unknown>[] | undefined)?.[0];
    if (response.d.result !== 2 || entry === undefined) throw remoteError(response);
    const seed = (await provisioner()).openSeed(String(entry.seed), token.serial);
    const now = clock();
    await store.fortitokens.update(token.serial, {
      state: 'provisioning',
      seedEnc: cipher.encrypt(seed, seedAad(token.serial)),
      seedVersion: Number(entry.seed_version),
      algorithm: entry.algorithm as OtpAlgorithm,
      digits: entry.digits as OtpDigits,
      period: entry.period as OtpPeriod,
      activationCodeEnc: cipher.encrypt(
        Buffer.from(String(entry.activation_code)),
        codeAad(token.serial),
      ),
      activationExpiresAt: Number(entry.activation_expire) * 1000,
      regId: null,
      osVer: null,
      drift: 0,
      lastStep: null,
      updatedAt: now,
    });
    await store.auditLog.append({
      at: now,
      actor: 'admin',
      action: token.state === 'provisioned' ? 'token.reprovision' : 'token.provision',
      subject: token.serial,
      outcome: 'success',
      ...(token.state === 'provisioned' ? { detail: { previousRegId: token.regId } } : {}),
    });
    return { serial: token.serial, delivered: await deliver(await tokenNamed(token.serial)) };
  };

  return {
    /** Stores this node's provisioner credential (encrypted at rest) and checks it works. */
    async enroll(input: {
      provisionerUrl: string;
      serial: string;
      secret: string;
      clusterSerials?: readonly string[];
    }) {
      const credential = newCredential({
        provisionerUrl: parseHttpUrl(input.provisionerUrl, '--provisioner'),
        serial: parseSerial(input.serial),
        secret: input.secret,
        clusterSerials: (input.clusterSerials ?? []).map(parseSerial),
      });
      // Checked before it is stored: a wrong secret or address leaves the old enrolment as it was.
      const response = await exchange(
        (l) => l.send('Polling', { tokens: [] }),
        createProvisionerLink(credential, clock),
      );
      if (response.d.result === 0) throw remoteError(response);
      await saveCredential(store, cipher, credential, clock());
      connection.use(credential.serial);
      return { serial: credential.serial, provisionerUrl: credential.provisionerUrl };
    },

    async importLicence(code: string) {
      parseLicenceCode(code);
      const response = await exchange((l) => l.send('LicenseImport', { code }));
      if (response.d.result !== 2) throw remoteError(response);
      const licence = String(response.d.license);
      const now = clock();
      const serials = (response.d.tokens as { token: string }[]).map((t) => t.token);
      await store.fortitokens.createMany(
        serials.map((serial) => newFortitoken(serial, licence, now)),
      );
      await store.auditLog.append({
        at: now,
        actor: 'admin',
        action: 'licence.import',
        subject: licence,
        outcome: 'success',
        detail: { tokens: serials.length },
      });
      return { licence, serials };
    },

    /** Adds a local user; with a token (or `auto`) the activation goes out at once. */
    async addUser(input: NewUser) {
      const now = clock();
      let tokenSerial: string | null = null;
      if (input.token !== undefined && input.email === undefined && input.sms === undefined) {
        throw new TokenwardError('TW_INPUT_INVALID', {
          message: 'A user with a token needs --email or --sms: that is where the activation goes.',
        });
      }
      if (input.token === 'auto') {
        tokenSerial = await freeToken();
      } else if (input.token !== undefined) {
        tokenSerial = (await tokenNamed(input.token)).serial;
      }
      const name = parseName(input.name, 'user name');
      const email =
        input.email === undefined ? undefined : parseEmailAddress(input.email, '--email');
      const sms = input.sms === undefined ? undefined : parsePhoneNumber(input.sms, '--sms');
      checkPasswordPolicy(input.password, {
        minLength: PASSWORD_MIN_LENGTH.user,
        username: name,
        field: 'password',
      });
      const twoFactor = input.twoFactor ?? (tokenSerial === null ? 'disable' : 'fortitoken');
      // A single-factor user only when asked for in so many words (`--no-two-factor`).
      if (
        twoFactor === 'disable' &&
        input.twoFactor !== 'disable' &&
        (await readGatewayPolicy(store)).twoFactorRequired
      ) {
        throw new TokenwardError('TW_TWO_FACTOR_REQUIRED', { data: { field: '--token' } });
      }
      const user: User = {
        ...newUser(name, await hashPassword(input.password), now),
        email: email ?? null,
        smsPhone: sms ?? null,
        twoFactor,
        tokenSerial,
      };
      await store.users.create(user);
      await store.auditLog.append({
        at: now,
        actor: 'admin',
        action: 'user.add',
        subject: user.name,
        outcome: 'success',
        ...(twoFactor === 'disable' ? { detail: { twoFactor: 'disable' } } : {}),
      });
      const provisioned = tokenSerial === null ? undefined : await provisionToken(tokenSerial);
      return { name: user.name, token: tokenSerial, delivered: provisioned?.delivered };
    },

    async showUser(name: string) {
      const user = await store.users.find(name);
      if (user === undefined) throw notFound(`User "${name}"`);
      const { passwordHash: _hash, ...shown } = user;
      return shown;
    },

    /** Changes a user; a newly assigned token is provisioned and its activation sent at once. */
    async setUser(
      name: string,
      change: {
        email?: string | null;
        sms?: string | null;
        twoFactor?: TwoFactor;
        token?: string;
        status?: 'enable' | 'disable';
      },
    ) {
      const user = await store.users.find(name);
      if (user === undefined) throw notFound(`User "${name}"`);
      let tokenSerial = user.tokenSerial;
      if (change.token === 'none') tokenSerial = null;
      else if (change.token === 'auto') tokenSerial = await freeToken();
      else if (change.token !== undefined) tokenSerial = (await tokenNamed(change.token)).serial;
      await store.users.update(name, {
        ...(change.email === undefined
          ? {}
          : { email: change.email === null ? null : parseEmailAddress(change.email, '--email') }),
        ...(change.sms === undefined
          ? {}
          : { smsPhone: change.sms === null ? null : parsePhoneNumber(change.sms, '--sms') }),
        ...(change.twoFactor === undefined ? {} : { twoFactor: change.twoFactor }),
        ...(change.status === undefined ? {} : { status: change.status }),
        tokenSerial,
        updatedAt: clock(),
      });
      await store.auditLog.append({
        at: clock(),
        actor: 'admin',
        action: 'user.set',
        subject: name,
        outcome: 'success',
      });
      const assigned =
        tokenSerial !== null && tokenSerial !== user.tokenSerial ? tokenSerial : null;
      return {
        name,
        token: tokenSerial,
        delivered: assigned === null ? undefined : (await provisionToken(assigned)).delivered,
      };
    },

    async listUsers() {
      return (await store.users.list()).map(({ passwordHash: _hash, ...user }) => user);
    },

    async deleteUser(name: string) {
      if (!(await store.users.remove(name))) throw notFound(`User "${name}"`);
    },

    async unlockUser(name: string) {
      if (!(await store.users.unlock(name, clock()))) throw notFound(`User "${name}"`);
    },

    listTokens: (state?: TokenState) =>
      store.fortitokens.list(state === undefined ? {} : { state }),

    async showToken(serial: string) {
      const token = await tokenNamed(serial);
      const user = await store.users.findByToken(token.serial);
      const { seedEnc: _seed, activationCodeEnc: _code, ...shown } = token;
      return { ...shown, user: user?.name ?? null };
    },

    /** `status lock` refuses every login with the token; `status active` allows them again. */
    async setTokenStatus(serial: string, status: 'active' | 'lock') {
      const token = await tokenNamed(serial);
      await store.fortitokens.update(token.serial, { status, updatedAt: clock() });
      await store.auditLog.append({
        at: clock(),
        actor: 'admin',
        action: status === 'lock' ? 'token.lock' : 'token.unlock',
        subject: token.serial,
        outcome: 'success',
      });
    },

    provisionToken,

    /**
     * Sends the pending activation again, or provisions anew when its code has run out. Never
     * re-issues a token active on a phone (that is `reprovisionToken`, confirmed).
     */
    async resendActivation(serial: string) {
      const token = await tokenNamed(serial);
      if (token.state === 'provisioning' && (token.activationExpiresAt ?? 0) > clock()) {
        return { serial: token.serial, delivered: await deliver(token) };
      }
      return provisionToken(token.serial);
    },

    /** Re-issues a token active on a phone: that phone's token stops working. Audited. */
    reprovisionToken: (serial: string, expireHours?: number) =>
      provisionToken(serial, expireHours, { reprovision: true }),

    async revokeToken(serial: string) {
      const token = await tokenNamed(serial);
      const response = await exchange((l) =>
        l.send('Revoke', { tokens: [{ token: token.serial }] }),
      );
      if (response.d.result !== 2) throw remoteError(response);
      await store.fortitokens.update(token.serial, {
        state: 'new',
        seedEnc: null,
        activationCodeEnc: null,
        activationExpiresAt: null,
        regId: null,
        osVer: null,
        updatedAt: clock(),
      });
    },

    /**
     * One polling round (DESIGN section 6): the tokens waiting for a phone, or all with `all`,
     * in batches of POLL_BATCH; updates state, reg-id, os-ver and rotated seeds.
     */
    async poll(options: { all?: boolean } = {}) {
      const tokens =
        options.all === true
          ? await store.fortitokens.list()
          : await store.fortitokens.list({ state: 'provisioning' });
      log.info('ftm_cfg_poll_token_states: Poll token status!');
      /** The FortiOS log lines of what changed, for a caller that prints (the CLI). */
      const lines: string[] = [];
      let updated = 0;
      let members: { sn: string; error: { code: string } | null }[] = [];
      // At least one request, even for no tokens: it checks the token server and the cluster.
      for (let start = 0; start === 0 || start < tokens.length; start += POLL_BATCH) {
        const batch = tokens.slice(start, start + POLL_BATCH);
        const response = await exchange((l) =>
          l.send('Polling', {
            tokens: batch.map((t) => ({ token: t.serial, seed_version: t.seedVersion })),
          }),
        );
        // A refusal of the whole request (clock skew, credential) is no round at all.
        if (response.d.result === 0) throw remoteError(response);
        members = response.d.__clustered_sns as typeof members;
        const current = await provisioner();
        for (const entry of (response.d.tokens ?? []) as Record<string, unknown>[]) {
          const token = batch.find((t) => t.serial === entry.token);
          if (token === undefined || entry.error !== null) continue;
          const regId = (entry.registration_id as string | null) ?? null;
          const osVer = (entry.mobile_device_version as string | null) ?? null;
          const seed =
            typeof entry.seed === 'string' ? current.openSeed(entry.seed, token.serial) : undefined;
          const state = entry.state as TokenState;
          if (
            state === token.state &&
            regId === token.regId &&
            osVer === token.osVer &&
            seed === undefined
          )
            continue;
          if (regId !== null && regId !== token.regId) {
            const line = `ftm_cfg_update_token_state: Update REGID for ${token.serial} regid:${regId} os_ver:${osVer ?? ''}`;
            log.info(line);
            lines.push(line);
          }
          await store.fortitokens.update(token.serial, {
            state,
            regId,
            osVer,
            ...(seed === undefined
              ? {}
              : {
                  seedEnc: cipher.encrypt(seed, seedAad(token.serial)),
                  seedVersion: Number(entry.seed_version),
                  drift: 0,
                  lastStep: null,
                }),
            updatedAt: clock(),
          });
          updated++;
        }
      }
      return { polled: tokens.length, updated, members, lines };
    },

    /**
     * Forgets what is kept only for a while: auth and audit log entries older than
     * `log setting retention-days` (default 90), failure counts idle for a day.
     */
    async sweepRecords() {
      const now = clock();
      const keepFrom = now - (await readGatewayPolicy(store)).logRetentionDays * 86_400_000;
      return {
        authLog: await store.authLog.deleteBefore(keepFrom),
        auditLog: await store.auditLog.deleteBefore(keepFrom),
        attempts: await store.attempts.deleteIdle(now - 86_400_000),
      };
    },

    /** This node's way to the provisioner (the auth engine relays pushes through it). */
    connection,

    /** `diagnose fortitoken info`, as FortiOS prints it. */
    async diagnose(serial?: string) {
      const tokens =
        serial === undefined ? await store.fortitokens.list() : [await tokenNamed(serial)];
      const described = describeTokenServerStatus(await connection.lastStatus());
      const rows = tokens.map(
        (t) =>
          `${t.serial.padEnd(17)}${(t.status === 'lock' ? 'locked' : t.state).padEnd(18)}${t.drift}`,
      );
      return [
        'FORTITOKEN DRIFT STATUS',
        `${'SERIAL-NO'.padEnd(17)}${'STATUS'.padEnd(18)}DRIFT`,
        ...rows,
        '',
        `Total activated token: ${tokens.filter((t) => t.state === 'provisioned').length}`,
        `Token server status: ${described.word}`,
        ...(described.refusal === undefined
          ? []
          : [`Token server refused this gateway: ${described.refusal}`]),
      ].join('\n');
    },

    /**
     * A live activation code in clear, for an admin reading it to a user on the phone: the one
     * way besides mail and SMS, so it is audited.
     */
    async revealActivationCode(serial: string, actor: string) {
      const token = await tokenNamed(serial);
      if (
        token.activationCodeEnc === null ||
        token.state !== 'provisioning' ||
        (token.activationExpiresAt ?? 0) <= clock()
      ) {
        throw new TokenwardError('TW_INPUT_INVALID', {
          message: `Token ${token.serial} has no live activation code (state ${token.state}). Provision it to issue one.`,
          data: { field: 'serial' },
        });
      }
      await store.auditLog.append({
        at: clock(),
        actor,
        action: 'token.reveal-code',
        subject: token.serial,
        outcome: 'success',
      });
      return Buffer.from(cipher.decrypt(token.activationCodeEnc, codeAad(token.serial))).toString(
        'utf8',
      );
    },

    /** A token's activation code in clear, for `config show` once it is spent (activated). */
    spentActivationCode(token: Fortitoken): string | undefined {
      if (token.activationCodeEnc === null || token.state !== 'provisioned') return undefined;
      return Buffer.from(cipher.decrypt(token.activationCodeEnc, codeAad(token.serial))).toString(
        'utf8',
      );
    },
  };
}

export type Gateway = ReturnType<typeof createGateway>;
