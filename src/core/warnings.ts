/**
 * Coded warnings: the service runs, but a setting is unsafe. Logged once at start with the code;
 * docs/errors.md lists them under "Warnings".
 */
export const warningCatalog = {
  TW_WARN_PLAINTEXT_LISTENER:
    'Listening on a non-loopback address without TLS: secrets would cross the network in clear. Pass --tls-cert and --tls-key, or listen on 127.0.0.1 behind a TLS proxy.',
  TW_WARN_SINGLE_FACTOR_USER:
    'This user logs in with a password alone: no second factor protects the account. The addition is audited.',
  TW_WARN_SECRET_IN_ARGV:
    'A secret was given as a command-line argument, which every user of this machine can read (ps, /proc/PID/cmdline) and shells keep in their history.',
  TW_WARN_RADIUS_SECRET_SHORT:
    'This RADIUS shared secret is shorter than 16 characters (RFC 2865 section 3 recommends at least 16): one captured Access-Request lets it be guessed offline. Set a longer random secret on the client and here.',
  TW_WARN_VAULT_KEYFILE:
    'The token vault key is kept in a file beside the vault, so anyone who can read this directory can read the tokens. Use --pin-stdin or TOKENWARD_PIN to protect it with a passphrase.',
  TW_WARN_RADIUS_MESSAGE_AUTHENTICATOR_OPTIONAL:
    'This RADIUS client may send Access-Requests without Message-Authenticator, which leaves its logins open to forged responses (Blast-RADIUS, CVE-2024-3596). Update the client to send Message-Authenticator and set it back to require.',
  TW_WARN_DIRECTORY_REMOVALS_HELD:
    'A directory sync found more enrolled users gone than directory-removal-limit allows, so it removed nobody: a broken group or filter would otherwise revoke everyone. If the directory is right, run: npx tokenward gateway ldap sync --confirm-removals',
  TW_WARN_TWO_FACTOR_WAIVED:
    'A member of a user group with two-factor disable logged in with the first factor alone (break-glass).',
} as const;

export type WarningCode = keyof typeof warningCatalog;
