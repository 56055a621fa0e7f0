import type { z } from "zod";

import { type ErrorDetail, ValidationError } from "./errors.js";

/**
 * Checks `input` against `schema` and returns the parsed value, or throws a ValidationError
 * listing every problem, each with the field it concerns (`where` names a request body,
 * query or path that is wrong as a whole).
 */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  where: string,
): z.output<Schema> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const details: ErrorDetail[] = result.error.issues.map((issue) => ({
      field: issue.path.length > 0 ? issue.path.map(String).join(".") : where,
      message: issue.message,
    }));
    throw new ValidationError(details);
  }
  return result.data;
}
