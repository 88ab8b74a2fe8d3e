import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitForLine } from './child-output.js';

/**
 * Debian's FreeRADIUS 3.2 answering PAP from a users file: the protocol floor the RADIUS
 * benchmark compares against. The bench installs nothing itself.
 */
export async function startFreeRadius(input: {
  readonly dir: string;
  readonly port: number;
  readonly secret: string;
  readonly users: readonly { readonly name: string; readonly password: string }[];
}): Promise<ChildProcess> {
  if (spawnSync('freeradius', ['-v']).error !== undefined) {
    throw new Error(
      'The RADIUS benchmark compares against FreeRADIUS: install it with `apt-get install freeradius` (Debian 12: FreeRADIUS 3.2), then run it again.',
    );
  }
  const users = input.users
    .map((user) => `${user.name} Cleartext-Password := "${user.password}"`)
    .join('\n');
  await writeFile(join(input.dir, 'users'), `${users}\n`);
  await writeFile(join(input.dir, 'radiusd.conf'), radiusdConf(input));
  const child = spawn('freeradius', ['-f', '-d', input.dir, '-l', 'stdout'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitForLine(child, /Ready to process requests/);
  return child;
}

/** The smallest configuration that answers PAP: one client, the files module, no logging per request. */
function radiusdConf(input: { dir: string; port: number; secret: string }): string {
  return `prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = /var
sbindir = /usr/sbin
logdir = ${input.dir}
raddbdir = ${input.dir}
radacctdir = ${input.dir}
name = freeradius
confdir = ${input.dir}
run_dir = ${input.dir}
db_dir = ${input.dir}
libdir = /usr/lib/freeradius
pidfile = ${input.dir}/radiusd.pid
max_request_time = 30
cleanup_delay = 5
max_requests = 65536
hostname_lookups = no
log {
  destination = stdout
  auth = no
}
security {
  allow_core_dumps = no
  max_attributes = 200
  reject_delay = 0
  status_server = no
}
thread pool {
  start_servers = 4
  max_servers = 8
  min_spare_servers = 2
  max_spare_servers = 8
  max_requests_per_server = 0
}
client bench {
  ipaddr = 127.0.0.1
  secret = ${input.secret}
  require_message_authenticator = yes
}
modules {
  files {
    filename = ${input.dir}/users
  }
  pap {
  }
}
server default {
  listen {
    type = auth
    ipaddr = 127.0.0.1
    port = ${input.port}
  }
  authorize {
    files
    pap
  }
  authenticate {
    Auth-Type PAP {
      pap
    }
  }
}
`;
}
