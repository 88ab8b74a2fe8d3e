import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { requireComponent } from './components.js';
import { makeTestCertificates, type TestCertificates } from './test-ca.js';

export const rsyslogComponent = await requireComponent(
  'rsyslogd',
  'apt-get install rsyslog rsyslog-gnutls',
);

/** A free TCP port of 127.0.0.1 (rsyslog cannot say which port it bound). */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A real rsyslogd (Debian's) with a config of its own in `dir`: UDP, TCP and TLS (gtls) inputs
 * on free ports of 127.0.0.1, each writing the messages it receives, one per line, to its own
 * file. Stopped and started again on the same ports.
 */
export async function startRsyslog(dir: string) {
  await mkdir(join(dir, 'work'), { recursive: true });
  const certificates: TestCertificates = await makeTestCertificates(dir, '127.0.0.1', 'syslog');
  const ports = { udp: await freePort(), tcp: await freePort(), tls: await freePort() };
  const file = (input: keyof typeof ports) => join(dir, `received-${input}.log`);
  const config = join(dir, 'rsyslog.conf');
  await writeFile(
    config,
    `global(workDirectory="${join(dir, 'work')}"
  DefaultNetstreamDriverCAFile="${certificates.caPath}"
  DefaultNetstreamDriverCertFile="${certificates.certPath}"
  DefaultNetstreamDriverKeyFile="${certificates.keyPath}")
module(load="imudp")
module(load="imtcp")
template(name="raw" type="string" string="%rawmsg%\\n")
${(['udp', 'tcp', 'tls'] as const)
  .map(
    (
      input,
    ) => `ruleset(name="${input}") { action(type="omfile" file="${file(input)}" template="raw") }
input(type="${input === 'udp' ? 'imudp' : 'imtcp'}" address="127.0.0.1" port="${ports[input]}" ruleset="${input}"${
      input === 'tls'
        ? ' streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon"'
        : ''
    })`,
  )
  .join('\n')}
`,
  );
  let child: ChildProcess | undefined;

  const start = async () => {
    const started = spawn('rsyslogd', ['-n', '-f', config, '-i', join(dir, 'rsyslogd.pid')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let errors = '';
    started.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child = started;
    const deadline = Date.now() + 20_000;
    while (!((await accepts(ports.tcp)) && (await accepts(ports.tls)))) {
      if (started.exitCode !== null || Date.now() > deadline) {
        throw new Error(`rsyslogd did not start: ${errors}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const stop = async () => {
    if (child === undefined || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
    child = undefined;
  };
  await start();

  return {
    ports,
    certificates,
    start,
    stop,
    /** The messages one input received so far, in the order rsyslog wrote them. */
    async received(input: keyof typeof ports): Promise<string[]> {
      const text = await readFile(file(input), 'utf8').catch(() => '');
      return text.split('\n').filter((line) => line !== '');
    },
  };
}

export type Rsyslog = Awaited<ReturnType<typeof startRsyslog>>;
