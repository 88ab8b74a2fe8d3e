import type { FastifyPluginAsync } from 'fastify';
import type { Gateway } from '../gateway.js';
import type { LdapServerInput } from '../new-ldap-server.js';

const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength }) as const;

/** The LDAP servers (`config user ldap`) that check directory users' passwords. */
export function consoleDirectoryRoutes(gateway: Gateway): FastifyPluginAsync {
  return async (api) => {
    api.get('/console/api/ldap-servers', () => gateway.listLdapServers());
    api.post<{ Body: LdapServerInput }>(
      '/console/api/ldap-servers',
      {
        schema: {
          body: {
            type: 'object',
            required: ['name', 'server', 'dn'],
            additionalProperties: false,
            properties: {
              name: text(64),
              server: text(253),
              secondaryServer: text(253),
              tertiaryServer: text(253),
              port: { type: 'integer', minimum: 1, maximum: 65_535 },
              secure: { enum: ['disable', 'starttls', 'ldaps'] },
              cnid: text(64),
              dn: text(512),
              type: { enum: ['simple', 'regular'] },
              username: text(512),
              password: text(256),
              timeoutSeconds: { type: 'integer', minimum: 1, maximum: 60 },
            },
          },
        },
      },
      async (request) => ({ name: (await gateway.saveLdapServer(request.body)).name }),
    );
    // Which host answers (and, for `regular`, that the service account binds).
    api.post<{ Params: { name: string } }>('/console/api/ldap-servers/:name/test', (request) =>
      gateway.testLdapServer(request.params.name),
    );
    api.delete<{ Params: { name: string } }>('/console/api/ldap-servers/:name', async (request) => {
      await gateway.removeLdapServer(request.params.name);
      return { removed: true };
    });
  };
}
