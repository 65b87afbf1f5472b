// The sync's logger when the caller gives none: one pino logger for the area, made on first use, on
// stderr like the terminal's (stdout is for what a command prints).
import { pino, type Logger } from 'pino';

let logger: Logger | undefined;

export function syncLogger(): Logger {
  logger ??= pino({ name: 'shopfloor', level: process.env['LOG_LEVEL'] ?? 'info' }, pino.destination(2)).child({ area: 'sync' });
  return logger;
}
