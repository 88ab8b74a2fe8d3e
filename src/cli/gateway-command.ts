import { command, type Output } from './command.js';
import { consoleAdminCommand, radiusClientCommands } from './gateway/admin-commands.js';
import { configCommands, diagnoseCommands } from './gateway/config-commands.js';
import { deliveryCommands } from './gateway/delivery-commands.js';
import { enrollCommand, licenceCommands } from './gateway/enrolment-commands.js';
import { groupCommands } from './gateway/group-commands.js';
import { ldapCommands } from './gateway/ldap-commands.js';
import { authCommand, authLogCommand } from './gateway/login-commands.js';
import { serveCommand } from './gateway/serve-command.js';
import { tokenCommands } from './gateway/token-commands.js';
import { userCommands } from './gateway/user-commands.js';

/** `tokenward gateway ...`: the gateway next to the VPN (users, tokens, activation, polling). */
export function gatewayCommand(output: Output) {
  const gateway = command(
    'gateway',
    'the gateway: users, tokens, activation, polling, diagnostics',
  );
  for (const sub of [
    enrollCommand(output),
    licenceCommands(output),
    userCommands(output),
    tokenCommands(output),
    diagnoseCommands(output),
    configCommands(output),
    ...deliveryCommands(output),
    consoleAdminCommand(output),
    radiusClientCommands(output),
    ldapCommands(output),
    groupCommands(output),
    authCommand(output),
    authLogCommand(output),
    serveCommand(output),
  ]) {
    gateway.addCommand(sub);
  }
  return gateway;
}
