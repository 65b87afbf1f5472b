// The central's logger when the caller gives none. Authorization headers and tokens are redacted
// wherever they might end up in a log line.
import { pino, type DestinationStream, type Logger } from 'pino';

export function centralLogger(destination?: DestinationStream): Logger {
  const options = {
    name: 'shopfloor',
    level: process.env['LOG_LEVEL'] ?? 'info',
    redact: { paths: ['req.headers.authorization', 'headers.authorization', 'token', '*.token', 'adminToken'], censor: '[redacted]' },
  };
  return (destination ? pino(options, destination) : pino(options)).child({ area: 'central' });
}
