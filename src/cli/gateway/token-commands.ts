import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { TokenwardError } from '../../core/errors.js';
import { TOKEN_STATES } from '../../core/token-state.js';
import { command, isoTime, listing, type Output, parseChoice } from '../command.js';
import { EXPIRE_HOURS_HELP, expireHours, gatewayAction } from './gateway-action.js';

/** `gateway token ...`: tokens, their activation, and polling. */
export function tokenCommands(output: Output) {
  const token = command('token', 'tokens: list, provision, resend, revoke, poll');
  token.addCommand(
    gatewayAction('list', 'list tokens', async ({ gateway }, _args, options) => {
      const state =
        options.state === undefined
          ? undefined
          : parseChoice('--state', options.state, TOKEN_STATES);
      const tokens = (await gateway.listTokens(state)).map((t) => ({
        serial: t.serial,
        licence: t.licence,
        status: t.status,
        state: t.state,
        regId: t.regId,
        osVer: t.osVer,
        activationExpire:
          t.activationExpiresAt === null ? null : Math.floor(t.activationExpiresAt / 1000),
      }));
      output.out(
        listing(
          tokens,
          options.json,
          ['SERIAL', 'LICENCE', 'STATE', 'REG-ID', 'OS-VER', 'ACTIVATION EXPIRES'],
          (t) => [
            t.serial,
            t.licence,
            t.state,
            t.regId,
            t.osVer,
            isoTime(t.activationExpire === null ? null : t.activationExpire * 1000),
          ],
        ),
      );
    })
      .option('--state <state>', `only tokens in this state (${TOKEN_STATES.join(', ')})`)
      .option('--json', 'print JSON'),
  );
  token.addCommand(
    gatewayAction(
      'show',
      'show one token (never its seed; its live code only with --reveal-code)',
      async ({ gateway }, args, options) => {
        output.out(JSON.stringify(await gateway.showToken(args[0] ?? ''), null, 2));
        if (options.revealCode === true) {
          const code = await gateway.revealActivationCode(
            args[0] ?? '',
            `cli:${userInfo().username}`,
          );
          output.out(`Activation code (audited): ${code}`);
        }
      },
    )
      .argument('<serial>', 'the token serial')
      .option(
        '--reveal-code',
        'also print the live activation code (audited), to read it out to the user',
      ),
  );
  token.addCommand(
    gatewayAction(
      'assign',
      'assign a token to a user and send the activation',
      async ({ gateway }, args) => {
        const changed = await gateway.setUser(args[1] ?? '', { token: args[0] ?? '' });
        output.out(
          `Token ${changed.token} assigned to ${changed.name}; activation sent by ${changed.delivered}.`,
        );
      },
    )
      .argument('<serial>', 'the token serial')
      .argument('<user>', 'the user name'),
  );
  for (const [verb, status] of [
    ['lock', 'lock'],
    ['unlock', 'active'],
  ] as const) {
    token.addCommand(
      gatewayAction(
        verb,
        verb === 'lock' ? 'refuse every login with the token' : 'allow logins with the token again',
        async ({ gateway }, args) => {
          await gateway.setTokenStatus(args[0] ?? '', status);
          output.out(`Token ${args[0]} ${verb}ed.`);
        },
      ).argument('<serial>', 'the token serial'),
    );
  }
  addActivationCommands(token, output);
  return token;
}

/** The commands that issue, resend, revoke and poll activations. */
function addActivationCommands(token: Command, output: Output): void {
  token.addCommand(
    gatewayAction(
      'provision',
      "issue a new activation code and send it to the token's user",
      async ({ gateway }, args, options) => {
        const done = await gateway.provisionToken(args[0] ?? '', expireHours(options));
        output.out(`Token ${done.serial} provisioned; activation sent by ${done.delivered}.`);
      },
    )
      .argument('<serial>', 'the token serial')
      .option('--expire-hours <n>', EXPIRE_HOURS_HELP),
  );
  token.addCommand(
    gatewayAction(
      'reprovision',
      'move a token to a new phone: a new activation code; the phone that has it stops working',
      async ({ gateway }, args, options) => {
        if (options.yes !== true) {
          throw new TokenwardError('TW_CONFIRMATION_REQUIRED', {
            message: `Reprovisioning ${args[0] ?? 'the token'} stops the phone that has it. Run again with --yes to confirm.`,
            data: { field: '--yes' },
          });
        }
        const done = await gateway.reprovisionToken(args[0] ?? '', expireHours(options));
        output.out(`Token ${done.serial} reprovisioned; activation sent by ${done.delivered}.`);
      },
    )
      .argument('<serial>', 'the token serial')
      .option('--yes', 'confirm: the phone that has the token stops working')
      .option('--expire-hours <n>', EXPIRE_HOURS_HELP),
  );
  token.addCommand(
    gatewayAction(
      'resend',
      'send the pending activation again (a new code if it ran out)',
      async ({ gateway }, args) => {
        const done = await gateway.resendActivation(args[0] ?? '');
        output.out(`Activation for ${done.serial} sent by ${done.delivered}.`);
      },
    ).argument('<serial>', 'the token serial'),
  );
  token.addCommand(
    gatewayAction(
      'revoke',
      'revoke a token: its phone binding and codes die',
      async ({ gateway }, args) => {
        await gateway.revokeToken(args[0] ?? '');
        output.out(`Token ${args[0]} revoked.`);
      },
    ).argument('<serial>', 'the token serial'),
  );
  token.addCommand(
    gatewayAction('poll', 'poll the token server once', async ({ gateway }, _args, options) => {
      const polled = await gateway.poll({ all: options.all === true });
      for (const line of polled.lines) output.out(line);
      output.out(`Polled ${polled.polled} tokens; ${polled.updated} changed.`);
    }).option('--all', 'all tokens, not only those waiting for a phone'),
  );
}
