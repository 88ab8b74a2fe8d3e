import type { FastifyPluginAsync } from 'fastify';
import type { LdapServerInput } from '../new-ldap-server.js';
import type { Ok } from './console-api-types.js';
import { text } from './console-schemas.js';
import { actingGateway } from './console-session-routes.js';

/** The LDAP servers (`config user ldap`) that check directory users' passwords; user groups. */
export const consoleDirectoryRoutes: FastifyPluginAsync = async (api) => {
  api.get('/console/api/ldap-servers', (request) => actingGateway(request).listLdapServers());
  api.post<{ Body: LdapServerInput }>(
    '/console/api/ldap-servers',
    {
      schema: {
        body: {
          type: 'object',
          required: ['name', 'server', 'dn'],
          additionalProperties: false,
          properties: {
            name: text(64, 1),
            server: text(253, 1),
            secondaryServer: text(253, 1),
            tertiaryServer: text(253, 1),
            port: { type: 'integer', minimum: 1, maximum: 65_535 },
            secure: { enum: ['disable', 'starttls', 'ldaps'] },
            cnid: text(64, 1),
            dn: text(512, 1),
            type: { enum: ['simple', 'regular'] },
            username: text(512, 1),
            password: text(256, 1),
            timeoutSeconds: { type: 'integer', minimum: 1, maximum: 60 },
          },
        },
      },
    },
    async (request) => ({ name: (await actingGateway(request).saveLdapServer(request.body)).name }),
  );
  // Which host answers (and, for `regular`, that the service account binds).
  api.post<{ Params: { name: string } }>('/console/api/ldap-servers/:name/test', (request) =>
    actingGateway(request).testLdapServer(request.params.name),
  );
  api.delete<{ Params: { name: string }; Reply: Ok }>(
    '/console/api/ldap-servers/:name',
    async (request) => {
      await actingGateway(request).removeLdapServer(request.params.name);
      return { ok: true };
    },
  );
  // The user groups' names, for the users table's filter.
  api.get<{ Reply: string[] }>('/console/api/groups', async (request) =>
    (await actingGateway(request).listUserGroups()).map((group) => group.name),
  );
};
