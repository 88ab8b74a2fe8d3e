/**
 * Coded warnings: the service runs, but a setting is unsafe. Logged once at start with the code;
 * docs/errors.md lists them under "Warnings".
 */
export const warningCatalog = {
  TW_WARN_PLAINTEXT_LISTENER:
    'Listening on a non-loopback address without TLS: secrets would cross the network in clear. Pass --tls-cert and --tls-key, or listen on 127.0.0.1 behind a TLS proxy.',
  TW_WARN_VAULT_KEYFILE:
    'The token vault key is kept in a file beside the vault, so anyone who can read this directory can read the tokens. Use --pin or TOKENWARD_PIN to protect it with a passphrase.',
  TW_WARN_RADIUS_MESSAGE_AUTHENTICATOR_OPTIONAL:
    'This RADIUS client may send Access-Requests without Message-Authenticator, which leaves its logins open to forged responses (Blast-RADIUS, CVE-2024-3596). Update the client to send Message-Authenticator and set it back to require.',
} as const;

export type WarningCode = keyof typeof warningCatalog;
