import type { Migration } from 'kysely';
import { initial } from './001-initial.js';
import { auth } from './002-auth.js';
import { requestNonces } from './003-request-nonces.js';
import { attempts } from './004-attempts.js';
import { ldap } from './005-ldap.js';
import { userGroups } from './006-user-groups.js';
import { directorySync } from './007-directory-sync.js';
import { webPush } from './008-web-push.js';
import { consoleAdmins } from './009-console-admins.js';

/** Every migration in order; names sort lexically, as Kysely's Migrator requires. */
export const migrations: Record<string, Migration> = {
  '001-initial': initial,
  '002-auth': auth,
  '003-request-nonces': requestNonces,
  '004-attempts': attempts,
  '005-ldap': ldap,
  '006-user-groups': userGroups,
  '007-directory-sync': directorySync,
  '008-web-push': webPush,
  '009-console-admins': consoleAdmins,
};

/** What each migration changes, in a line (`tokenward migrate --dry-run`). */
export const MIGRATION_NOTES: Record<string, string> = {
  '001-initial': 'the first schema: every table of the provisioner and the gateway',
  '002-auth': 'login sessions between the two factors, and the auth log',
  '003-request-nonces': 'the nonces of signed requests already taken (replay protection)',
  '004-attempts': 'failed attempts per source address and admin name, shared by every node',
  '005-ldap': 'LDAP servers, and local users whose password the directory checks',
  '006-user-groups':
    'user groups, their RADIUS reply attributes, the groups of a login in progress',
  '007-directory-sync': 'auto-enrol groups: directory members, their tokens, the removal grace',
  '008-web-push': "a phone's Web Push subscription",
  '009-console-admins':
    'several console admins with roles and their own token; the index of the e-mail search',
};
