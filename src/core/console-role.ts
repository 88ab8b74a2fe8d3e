/**
 * What a console admin may do: `super` everything; `helpdesk` users and tokens (not settings,
 * RADIUS clients, directory servers or admins); `read-only` look at everything, change nothing.
 */
export const CONSOLE_ROLES = ['super', 'helpdesk', 'read-only'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];
