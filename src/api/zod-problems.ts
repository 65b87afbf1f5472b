// One way to name what is wrong with a document or request: each zod issue as a JSON path and a message.
import type { core } from 'zod';
import { jsonPath } from './json-path.js';

export interface Problem {
  path: string;
  message: string;
}

/** Issues may carry their own JSON path (`params.jsonPath`) when a refinement reports a whole document's errors. */
export function zodProblems(issues: readonly core.$ZodIssue[]): Problem[] {
  return issues.flatMap((issue): Problem[] => {
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: jsonPath([...issue.path, key]), message: `unknown field "${key}"` }));
    const given = issue.code === 'custom' && typeof issue.params?.['jsonPath'] === 'string' ? issue.params['jsonPath'] : undefined;
    return [{ path: given ?? jsonPath(issue.path), message: issue.message }];
  });
}

/** Pass to `safeParse` as `{ error: requiredMessage }`: "expected string, received undefined" says less to a person than "required". */
export function requiredMessage(issue: core.$ZodRawIssue): string | undefined {
  return issue.code === 'invalid_type' && issue.input === undefined ? 'required' : undefined;
}
