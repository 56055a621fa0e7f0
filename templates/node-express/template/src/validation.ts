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
    const details: ErrorDetail[] = result.error.issues.flatMap((issue) => {
      // A member the schema does not have: one detail for each, named by its key.
      const paths =
        issue.code === "unrecognized_keys"
          ? issue.keys.map((key) => [...issue.path, key])
          : [issue.path];
      const message = issue.code === "unrecognized_keys" ? "is not a field" : issue.message;
      return paths.map((path) => ({
        field: path.length > 0 ? path.map(String).join(".") : where,
        message,
      }));
    });
    throw new ValidationError(details);
  }
  return result.data;
}
