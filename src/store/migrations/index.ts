import type { Migration } from 'kysely';
import { initial } from './001-initial.js';
import { auth } from './002-auth.js';
import { requestNonces } from './003-request-nonces.js';
import { attempts } from './004-attempts.js';
import { ldap } from './005-ldap.js';
import { userGroups } from './006-user-groups.js';
import { directorySync } from './007-directory-sync.js';
import { webPush } from './008-web-push.js';

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
};
