import type { Command } from 'commander';
import type { Logger } from 'pino';
import { ACTIVATION_EXPIRY_HOURS } from '../../core/limits.js';
import type { TwoFactor } from '../../core/login-terms.js';
import { TWO_FACTORS } from '../../core/login-terms.js';
import { warningCatalog } from '../../core/warnings.js';
import type { AuthEngine } from '../../gateway/auth/auth-engine.js';
import type { Gateway } from '../../gateway/gateway.js';
import type { GatewayMetrics } from '../../gateway/gateway-metrics.js';
import { openGatewayNode } from '../../gateway/gateway-node.js';
import type { SyslogForwarder } from '../../gateway/syslog/syslog-forwarder.js';
import { createLogger } from '../../log/create-logger.js';
import { command, type Output, parseChoice, parseInteger, parseLogLevel } from '../command.js';
import { type DataOptions, databaseUrl, withDataOptions } from '../data-options.js';

/** What a gateway command runs with: the node's use cases, its auth engine, its log. */
export interface GatewayNode {
  readonly gateway: Gateway;
  readonly auth: AuthEngine;
  /** Counted by `gateway serve` and served at its /metrics. */
  readonly metrics: GatewayMetrics;
  /** Run by `gateway serve`: the logs to the syslog servers. */
  readonly syslog: SyslogForwarder;
  readonly log: Logger;
}

export type Options = Record<string, unknown>;

export type GatewayAction = (node: GatewayNode, args: string[], options: Options) => Promise<void>;

/** A command that opens the gateway node, runs one action and closes it again. */
export function gatewayAction(name: string, description: string, run: GatewayAction): Command {
  return withNodeOption(name, withDataOptions(command(name, description))).action(
    async (...received: unknown[]) => {
      const cmd = received.at(-1) as { args: string[]; opts(): Options };
      const options = cmd.opts() as DataOptions & Options;
      const log = createLogger({
        level: options.logLevel === undefined ? 'warn' : parseLogLevel(String(options.logLevel)),
      });
      const node = await openGatewayNode({
        dataDir: options.data,
        databaseUrl: databaseUrl(options),
        masterKeyFromEnvironment: process.env.TOKENWARD_MASTER_KEY,
        log,
        serial: options.serial === undefined ? undefined : String(options.serial),
        provisionerUrl: options.provisioner === undefined ? undefined : String(options.provisioner),
      });
      try {
        await run({ ...node, log }, cmd.args, options);
      } finally {
        await node.close();
      }
    },
  );
}

/** `--serial`: which gateway node this is, when several share the database (enroll has its own). */
function withNodeOption(name: string, cmd: Command): Command {
  if (name === 'enroll') return cmd;
  return cmd.option(
    '--serial <sn>',
    'this gateway node, when several are enrolled in the database',
    process.env.TOKENWARD_GATEWAY_SERIAL,
  );
}

/**
 * `--two-factor METHOD`, or `--no-two-factor` (commander sets false): a password-only user,
 * asked for explicitly and warned about.
 */
export function twoFactorOption(options: Options, output: Output): TwoFactor | undefined {
  const twoFactor =
    options.twoFactor === false
      ? 'disable'
      : options.twoFactor === undefined
        ? undefined
        : parseChoice('--two-factor', options.twoFactor, TWO_FACTORS);
  if (twoFactor === 'disable') {
    output.err(`Warning TW_WARN_SINGLE_FACTOR_USER: ${warningCatalog.TW_WARN_SINGLE_FACTOR_USER}`);
  }
  return twoFactor;
}

/** `--expire-hours`: the activation code's lifetime (DESIGN section 3). */
export function expireHours(options: Options): number | undefined {
  return options.expireHours === undefined
    ? undefined
    : parseInteger(
        '--expire-hours',
        options.expireHours,
        ACTIVATION_EXPIRY_HOURS.min,
        ACTIVATION_EXPIRY_HOURS.max,
      );
}

export const EXPIRE_HOURS_HELP = `activation code lifetime, ${ACTIVATION_EXPIRY_HOURS.min} to ${ACTIVATION_EXPIRY_HOURS.max} hours (default ${ACTIVATION_EXPIRY_HOURS.fallback})`;

/** An optional string option, left out when not given. */
export function given(options: Options, key: string): string | undefined {
  return options[key] === undefined ? undefined : String(options[key]);
}
