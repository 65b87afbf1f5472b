// Zod schemas as Fastify route schemas: they validate each request and type its handler. Written
// here in a few lines rather than taken from fastify-type-provider-zod, whose current versions
// require @fastify/swagger and openapi-types as peers for a feature (OpenAPI) we do not use.
import type { FastifySchemaCompiler, FastifyTypeProvider } from 'fastify';
import type { z } from 'zod';
import { zodProblems, type Problem } from '../api/zod-problems.js';

export interface ZodTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends z.ZodType ? z.output<this['schema']> : unknown;
  serializer: this['schema'] extends z.ZodType ? z.input<this['schema']> : unknown;
}

export type RequestProblem = Problem;

export class RequestValidationError extends Error {
  readonly statusCode = 400;
  constructor(readonly part: string, readonly problems: RequestProblem[]) {
    super(`The request's ${part} is not valid: ${problems.map((p) => `${p.path}: ${p.message}`).slice(0, 5).join('; ')}`);
    this.name = 'RequestValidationError';
  }
}

export const problemsOf = (error: z.ZodError): RequestProblem[] => zodProblems(error.issues);

export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => (data: unknown) => {
  const result = schema.safeParse(data);
  return result.success ? { value: result.data } : { error: new RequestValidationError(httpPart ?? 'request', problemsOf(result.error)) };
};
