// An import is validated as a whole: every error with its JSON path, schema and references alike.
import type { core } from 'zod';
import { checkMasterDataReferences } from './check-master-data-references.js';
import { jsonPath } from './json-path.js';
import { masterDataSchema, type MasterDataDocument, type MasterDataError } from './master-data.js';

export type MasterDataValidation = { ok: true; value: MasterDataDocument } | { ok: false; errors: MasterDataError[] };

export function validateMasterData(doc: unknown): MasterDataValidation {
  const parsed = masterDataSchema.safeParse(doc, { error: requiredMessage });
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.flatMap(issueErrors) };
  const errors = checkMasterDataReferences(parsed.data);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: parsed.data };
}

// "expected string, received undefined" says less to a planner than "required".
function requiredMessage(issue: core.$ZodRawIssue): string | undefined {
  return issue.code === 'invalid_type' && issue.input === undefined ? 'required' : undefined;
}

function issueErrors(issue: core.$ZodIssue): MasterDataError[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: jsonPath([...issue.path, key]), message: `unknown field "${key}"` }));
  }
  return [{ path: jsonPath(issue.path), message: issue.message }];
}
