// An import is validated as a whole: every error with its JSON path, schema and references alike.
import { checkMasterDataReferences } from './check-master-data-references.js';
import { masterDataSchema, type MasterDataDocument, type MasterDataError } from './master-data.js';
import { requiredMessage, zodProblems } from './zod-problems.js';

export type MasterDataValidation = { ok: true; value: MasterDataDocument } | { ok: false; errors: MasterDataError[] };

export function validateMasterData(doc: unknown): MasterDataValidation {
  const parsed = masterDataSchema.safeParse(doc, { error: requiredMessage });
  if (!parsed.success) return { ok: false, errors: zodProblems(parsed.error.issues) };
  const errors = checkMasterDataReferences(parsed.data);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: parsed.data };
}
