// Zod schemas as Fastify route schemas: they validate each request and type its handler. Written
// here in a few lines rather than taken from fastify-type-provider-zod, whose current versions
// require @fastify/swagger and openapi-types as peers for a feature (OpenAPI) we do not use.
import type { FastifySchemaCompiler, FastifyTypeProvider } from 'fastify';
import type { z } from 'zod';
import { jsonPath } from '../api/json-path.js';

export interface ZodTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends z.ZodType ? z.output<this['schema']> : unknown;
  serializer: this['schema'] extends z.ZodType ? z.input<this['schema']> : unknown;
}

/** One problem with a request, at a JSON path into the part named (`body`, `querystring`, `params`). */
export interface RequestProblem {
  path: string;
  message: string;
}

export class RequestValidationError extends Error {
  readonly statusCode = 400;
  constructor(readonly part: string, readonly problems: RequestProblem[]) {
    super(`The request's ${part} is not valid: ${problems.map((p) => `${p.path}: ${p.message}`).slice(0, 5).join('; ')}`);
    this.name = 'RequestValidationError';
  }
}

/** Issues may carry their own JSON path (`params.jsonPath`) when a refinement reports a whole document's errors. */
export function problemsOf(error: z.ZodError): RequestProblem[] {
  return error.issues.flatMap((issue): RequestProblem[] => {
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: jsonPath([...issue.path, key]), message: `unknown field "${key}"` }));
    const given = issue.code === 'custom' && typeof issue.params?.['jsonPath'] === 'string' ? issue.params['jsonPath'] : undefined;
    return [{ path: given ?? jsonPath(issue.path), message: issue.message }];
  });
}

export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => (data: unknown) => {
  const result = schema.safeParse(data);
  return result.success ? { value: result.data } : { error: new RequestValidationError(httpPart ?? 'request', problemsOf(result.error)) };
};
