/**
 * Coded warnings: the service runs, but a setting is unsafe. Logged once at start with the code;
 * docs/errors.md lists them under "Warnings".
 */
export const warningCatalog = {
  TW_WARN_PLAINTEXT_LISTENER:
    'Listening on a non-loopback address without TLS: secrets would cross the network in clear. Pass --tls-cert and --tls-key, or listen on 127.0.0.1 behind a TLS proxy.',
} as const;

export type WarningCode = keyof typeof warningCatalog;
