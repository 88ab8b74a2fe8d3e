import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LdapServerWithSecret } from '../../src/gateway/directory/ldap-directory.js';
import { requireComponent } from './components.js';

const run = promisify(execFile);

/** The base DN every test directory has; people are under ou=people. */
export const BASE_DN = 'dc=example,dc=com';
export const PEOPLE_DN = `ou=people,${BASE_DN}`;
/** The service account (the directory's rootdn) a `regular` LDAP server searches with. */
export const SERVICE_DN = `cn=admin,${BASE_DN}`;
export const SERVICE_PASSWORD = 'service-account-pw';

export const slapdComponent = await requireComponent(
  'slapd',
  'apt-get install slapd ldap-utils (Debian: OpenLDAP)',
);

export interface DirectoryPerson {
  readonly uid: string;
  readonly password: string;
  readonly mail?: string;
  readonly mobile?: string;
  /** Disabled as Active Directory marks it: userAccountControl with ACCOUNTDISABLE (514). */
  readonly disabled?: boolean;
}

/** A groupOfNames under ou=groups whose `member`s are people (by uid). */
export interface DirectoryGroup {
  readonly cn: string;
  readonly members: readonly string[];
}

export const GROUPS_DN = `ou=groups,${BASE_DN}`;

export interface TestDirectory {
  readonly port: number;
  /** The running slapd's process id (for the benchmark's CPU figures). */
  pid(): number;
  /** Ends slapd (the directory is down until `start`). */
  stop(): Promise<void>;
  /** Starts slapd again on the same port and data. */
  start(): Promise<void>;
  /** Applies LDIF changes (ldapmodify as the rootdn), e.g. a member leaving a group. */
  modify(ldif: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Active Directory's account flags attribute (its own OID), on an auxiliary class, so the test
 * directory can mark a user disabled as AD does.
 */
const AD_ACCOUNT_SCHEMA = [
  "attributetype ( 1.2.840.113556.1.4.8 NAME 'userAccountControl' EQUALITY integerMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )",
  "objectclass ( 1.3.6.1.4.1.4203.666.11.99.1 NAME 'tokenwardTestAccount' AUXILIARY MAY userAccountControl )",
];

/**
 * A real OpenLDAP slapd from Debian's packages, with its own config file, data directory and a
 * free port of 127.0.0.1, seeded from LDIF (slapadd) with `people` under ou=people. Groups are
 * groupOfNames; every person also has `memberOf` (the dynlist overlay's, as AD has it), and
 * `userAccountControl` 512, or 514 when disabled.
 */
export async function startSlapd(
  people: readonly DirectoryPerson[],
  /** Where it listens: a loopback address (127.0.0.2 for a second directory) and a port. */
  listen: {
    readonly host?: string;
    readonly port?: number;
    /** TLS files (PEM paths): StartTLS on the port, and LDAPS on `ldapsPort`. */
    readonly tls?: { readonly ca: string; readonly cert: string; readonly key: string };
    readonly ldapsPort?: number;
    readonly groups?: readonly DirectoryGroup[];
  } = {},
): Promise<TestDirectory> {
  const host = listen.host ?? '127.0.0.1';
  const dir = await mkdtemp(join(tmpdir(), 'tokenward-slapd-'));
  await mkdir(join(dir, 'db'));
  const config = join(dir, 'slapd.conf');
  await writeFile(
    config,
    [
      'include /etc/ldap/schema/core.schema',
      'include /etc/ldap/schema/cosine.schema',
      'include /etc/ldap/schema/inetorgperson.schema',
      'include /etc/ldap/schema/nis.schema',
      'include /etc/ldap/schema/dyngroup.schema',
      ...AD_ACCOUNT_SCHEMA,
      `pidfile ${join(dir, 'slapd.pid')}`,
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      'moduleload dynlist',
      // A search may return every member of a large group (slapd's default is 500, and a
      // paged search is cut there without an error).
      'sizelimit unlimited',
      'database mdb',
      'maxsize 10485760',
      `suffix "${BASE_DN}"`,
      `rootdn "${SERVICE_DN}"`,
      `rootpw ${SERVICE_PASSWORD}`,
      `directory ${join(dir, 'db')}`,
      'overlay dynlist',
      'dynlist-attrset groupOfURLs memberURL member+memberOf@groupOfNames',
      ...(listen.tls === undefined
        ? []
        : [
            `TLSCACertificateFile ${listen.tls.ca}`,
            `TLSCertificateFile ${listen.tls.cert}`,
            `TLSCertificateKeyFile ${listen.tls.key}`,
          ]),
      'access to attrs=userPassword by self read by anonymous auth by * none',
      'access to * by * read',
      '',
    ].join('\n'),
  );
  const entries = [
    `dn: ${BASE_DN}\nobjectClass: top\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example`,
    `dn: ${PEOPLE_DN}\nobjectClass: organizationalUnit\nou: people`,
    `dn: ${GROUPS_DN}\nobjectClass: organizationalUnit\nou: groups`,
    ...(listen.groups ?? []).map((group) =>
      [
        `dn: cn=${group.cn},${GROUPS_DN}`,
        'objectClass: groupOfNames',
        `cn: ${group.cn}`,
        ...group.members.map((uid) => `member: uid=${uid},${PEOPLE_DN}`),
      ].join('\n'),
    ),
    ...people.map((person) =>
      [
        `dn: uid=${person.uid},${PEOPLE_DN}`,
        'objectClass: inetOrgPerson',
        'objectClass: tokenwardTestAccount',
        `uid: ${person.uid}`,
        `userAccountControl: ${person.disabled === true ? 514 : 512}`,
        `cn: ${person.uid}`,
        `sn: ${person.uid}`,
        `userPassword: ${person.password}`,
        ...(person.mail === undefined ? [] : [`mail: ${person.mail}`]),
        ...(person.mobile === undefined ? [] : [`mobile: ${person.mobile}`]),
      ].join('\n'),
    ),
  ];
  const seed = join(dir, 'seed.ldif');
  await writeFile(seed, `${entries.join('\n\n')}\n`);
  await run('slapadd', ['-f', config, '-l', seed]);
  const port = listen.port ?? (await freeTcpPort());
  let child: ChildProcess | undefined;

  const start = async () => {
    const urls = [
      `ldap://${host}:${port}/`,
      ...(listen.ldapsPort === undefined ? [] : [`ldaps://${host}:${listen.ldapsPort}/`]),
    ];
    const started = spawn('slapd', ['-f', config, '-h', urls.join(' '), '-d', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    await waitForPort(host, port, started);
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const gone = once(running, 'exit');
    running.kill('SIGTERM');
    await gone;
  };
  const passwordFile = join(dir, 'rootpw');
  await writeFile(passwordFile, SERVICE_PASSWORD, { mode: 0o600 });
  await start();
  return {
    port,
    pid: () => child?.pid ?? 0,
    stop,
    start,
    async modify(ldif) {
      const file = join(dir, `change-${randomUUID()}.ldif`);
      await writeFile(file, ldif);
      await run('ldapmodify', [
        '-x',
        '-H',
        `ldap://${host}:${port}/`,
        '-D',
        SERVICE_DN,
        '-y',
        passwordFile,
        '-f',
        file,
      ]);
    },
    async close() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A TCP port nothing listens on (bound and released). */
export async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/** Resolves once `port` accepts connections (rejects when slapd exits first or after 20 s). */
async function waitForPort(host: string, port: number, child: ChildProcess): Promise<void> {
  const deadline = performance.now() + 20_000;
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`slapd exited: ${output}`);
    const connected = await new Promise<boolean>((resolve) => {
      const socket = connect(port, host);
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (connected) return;
    if (performance.now() > deadline)
      throw new Error(`slapd did not listen within 20 s: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** An LDAP server entry as the directory client takes it: simple bind, uid under ou=people. */
export function ldapServerFixture(
  overrides: Partial<LdapServerWithSecret> & Pick<LdapServerWithSecret, 'name' | 'port'>,
): LdapServerWithSecret {
  return {
    server: '127.0.0.1',
    secondaryServer: null,
    tertiaryServer: null,
    secure: 'disable',
    caCert: null,
    cnid: 'uid',
    dn: PEOPLE_DN,
    type: 'simple',
    username: null,
    password: null,
    groupMemberCheck: 'user-attr',
    memberAttr: 'memberOf',
    emailAttr: 'mail',
    phoneAttr: 'mobile',
    timeoutSeconds: 2,
    updatedAt: 0,
    ...overrides,
  };
}
