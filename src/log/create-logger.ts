import pino, { type DestinationStream, type LevelWithSilent, type Logger } from 'pino';

/**
 * JSON logs (pino). Paths that could carry a secret are redacted whatever a caller passes, as a
 * second line of defence: use cases never log secrets in the first place.
 */
export function createLogger(
  options: { level?: LevelWithSilent; destination?: DestinationStream } = {},
): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      redact: {
        paths: [
          'req.headers.authorization',
          '*.secret',
          '*.seed',
          '*.password',
          '*.activation_code',
          '*.transfer_code',
        ],
        censor: '[redacted]',
      },
    },
    options.destination ?? pino.destination(2),
  );
}
