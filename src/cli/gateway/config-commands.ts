import { readInputFile } from '../../fs/read-input-file.js';
import { formatConfig } from '../../protocol/fortios/config-document.js';
import { command, type Output } from '../command.js';
import { gatewayAction } from './gateway-action.js';

/** A configuration file bigger than this is not one (the largest real ones are kilobytes). */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** `gateway config show|import`: the configuration in FortiOS syntax. */
export function configCommands(output: Output) {
  const config = command('config', 'the configuration in FortiOS syntax');
  config.addCommand(
    gatewayAction(
      'show',
      'print the configuration (or one section, e.g. "user fortitoken")',
      async ({ gateway }, args) => {
        const wanted = args.join(' ');
        const sections = await gateway.configSections(wanted === '' ? undefined : wanted);
        output.out(formatConfig(sections).trimEnd());
      },
    ).argument('[section...]', 'a section path'),
  );
  config.addCommand(
    gatewayAction(
      'import',
      'apply a FortiOS-syntax file (what config show prints); all or nothing',
      async ({ gateway }, args) => {
        const file = args[0] ?? '';
        const { applied } = await gateway.importConfig(await readInputFile(file, MAX_CONFIG_BYTES));
        output.out(`Applied ${applied} entries from ${file}.`);
      },
    ).argument('<file>', 'the configuration file'),
  );
  return config;
}

/** `gateway diagnose fortitoken info`, as FortiOS has it. */
export function diagnoseCommands(output: Output) {
  const fortitoken = command('fortitoken', 'token diagnostics').addCommand(
    gatewayAction(
      'info',
      'the FORTITOKEN DRIFT STATUS table and the token server status',
      async ({ gateway }, args) => {
        output.out(await gateway.diagnose(args[0]));
      },
    ).argument('[serial]', 'one token only'),
  );
  return command('diagnose', 'diagnostics').addCommand(fortitoken);
}
