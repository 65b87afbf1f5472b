// The terminal configuration file (contracts.md §6), validated as a whole at start: every error
// with its JSON path. Keys beyond §6 are additions with defaults, so the §6 example stays valid.
import { z } from 'zod';
import { scannersConfigSchema } from '../devices/scanner-config.js';
import { requiredMessage, zodProblems, type Problem } from './zod-problems.js';

const path = z.string().trim().min(1, 'must not be empty');

export const terminalConfigSchema = z.strictObject({
  terminalId: z.string().trim().min(1, 'must not be empty').max(200),
  /** Without it the terminal never syncs: a standalone line PC, or a test. */
  central: z.strictObject({ url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }), token: z.string().min(1, 'must not be empty') }).optional(),
  /** The SQLite file; relative paths are relative to the configuration file. */
  database: path,
  language: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'a language tag such as en or de-AT').default('en'),
  scanners: scannersConfigSchema.default([]),
  http: z
    .strictObject({
      port: z.int().min(0).max(65_535).default(8710),
      /** 127.0.0.1 unless the terminal must be reached from another PC. */
      host: z.string().min(1).default('127.0.0.1'),
      bodyLimitBytes: z.int().min(1024).max(16 * 1024 * 1024).default(256 * 1024),
    })
    .prefault({}),
  session: z
    .strictObject({
      inactivityMinutes: z.number().positive().max(24 * 60).default(10),
      maxWrongPins: z.int().min(1).max(100).default(5),
      lockMinutes: z.number().positive().max(24 * 60).default(5),
    })
    .prefault({}),
  sync: z.strictObject({ pollIntervalMs: z.int().min(50).max(3_600_000).default(5000) }).prefault({}),
  /** A master data file loaded when the database has none yet (a terminal without a central). */
  masterData: path.optional(),
  /** The renderer's built files, served at / in browser mode; relative to the configuration file. */
  ui: path.optional(),
});

export type TerminalConfig = z.output<typeof terminalConfigSchema>;
export type TerminalConfigInput = z.input<typeof terminalConfigSchema>;

export function validateTerminalConfig(doc: unknown): { ok: true; value: TerminalConfig } | { ok: false; errors: Problem[] } {
  const parsed = terminalConfigSchema.safeParse(doc, { error: requiredMessage });
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: zodProblems(parsed.error.issues) };
}
