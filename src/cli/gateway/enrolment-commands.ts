import { TokenwardError } from '../../core/errors.js';
import { parseHttpUrl } from '../../core/http-url.js';
import { command, type Output } from '../command.js';
import { secretFrom } from '../stdin-secret.js';
import { gatewayAction } from './gateway-action.js';

/** `gateway enroll`: this node's credential at the provisioner. */
export function enrollCommand(output: Output) {
  return gatewayAction(
    'enroll',
    "store this gateway's provisioner credential (encrypted) and check it",
    async ({ gateway }, _args, options) => {
      const secret = await secretFrom(
        {
          stdin: options.secretStdin,
          argument: options.secret,
          environment: process.env.TOKENWARD_GATEWAY_SECRET,
        },
        { stdin: '--secret-stdin', argument: '--secret', environment: 'TOKENWARD_GATEWAY_SECRET' },
        output,
      );
      if (secret === undefined) {
        throw new TokenwardError('TW_SECRET_STDIN_REQUIRED', {
          message:
            'Give the secret `provisioner gateway add` printed on standard input: echo "$SECRET" | tokenward gateway enroll ... --secret-stdin (or set TOKENWARD_GATEWAY_SECRET).',
          data: { field: '--secret-stdin' },
        });
      }
      const enrolled = await gateway.enroll({
        provisionerUrl: parseHttpUrl(String(options.provisioner), '--provisioner'),
        serial: String(options.serial),
        secret,
        clusterSerials: (options.clusterSerial as string[] | undefined) ?? [],
      });
      output.out(
        `Gateway ${enrolled.serial} enrolled with ${enrolled.provisionerUrl}; the token server is reachable.`,
      );
    },
  )
    .requiredOption('--provisioner <url>', 'the provisioning service URL')
    .requiredOption('--serial <sn>', "this gateway's serial, as enrolled at the provisioner")
    .option(
      '--secret-stdin',
      'read the secret `provisioner gateway add` printed from standard input',
    )
    .option(
      '--secret <secret>',
      'the secret as an argument (visible to other users: prefer --secret-stdin)',
    )
    .option('--cluster-serial <sn...>', 'serials of the other gateways of this cluster');
}

/** `gateway license import`. */
export function licenceCommands(output: Output) {
  return command('license', 'import licences').addCommand(
    gatewayAction(
      'import',
      'import a licence (0000-0000-0000-0000-0000 for the trial)',
      async ({ gateway }, args) => {
        const imported = await gateway.importLicence(args[0] ?? '');
        output.out(
          `Licence ${imported.licence}: ${imported.serials.length} tokens (${imported.serials.join(', ')}).`,
        );
      },
    ).argument('<code>', 'the licence code'),
  );
}
