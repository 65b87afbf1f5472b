// The sync's logger when the caller gives none: one pino logger for the area, made on first use.
import { pino, type Logger } from 'pino';

let logger: Logger | undefined;

export function syncLogger(): Logger {
  logger ??= pino({ name: 'shopfloor', level: process.env['LOG_LEVEL'] ?? 'info' }).child({ area: 'sync' });
  return logger;
}
