// The `scanners` entries of the terminal configuration (contracts.md §6); the terminal's
// configuration schema takes `scannersConfigSchema` for that key. Types come from the schemas.
import { z } from 'zod';

const location = z.string().min(1, 'must not be empty');
const usbId = z.int().min(0).max(0xffff);

export const serialFramingSchema = z.union([
  z.enum(['cr', 'lf', 'crlf', 'stx-etx']),
  z.strictObject({ interByteTimeoutMs: z.int().min(1).max(10_000) }),
]);

export const serialScannerConfigSchema = z.strictObject({
  type: z.literal('serial'),
  /** Prefer /dev/serial/by-id/…: it names the same scanner after a replug, /dev/ttyACM0 may not. */
  path: z.string().min(1, 'must not be empty'),
  baudRate: z.int().positive(),
  framing: serialFramingSchema.default('cr'),
  location,
});

export const hidPosScannerConfigSchema = z.strictObject({
  type: z.literal('hidpos'),
  vendorId: usbId,
  productId: usbId,
  location,
});

export const keyboardScannerConfigSchema = z.strictObject({
  type: z.literal('keyboard'),
  location,
});

export const scannerConfigSchema = z.discriminatedUnion('type', [
  serialScannerConfigSchema,
  hidPosScannerConfigSchema,
  keyboardScannerConfigSchema,
]);

export const scannersConfigSchema = z.array(scannerConfigSchema);

export type ScannerConfig = z.output<typeof scannerConfigSchema>;
/** What a configuration file may say (framing optional). */
export type ScannerConfigInput = z.input<typeof scannerConfigSchema>;
export type SerialScannerConfig = z.output<typeof serialScannerConfigSchema>;
export type HidPosScannerConfig = z.output<typeof hidPosScannerConfigSchema>;
export type KeyboardScannerConfig = z.output<typeof keyboardScannerConfigSchema>;
