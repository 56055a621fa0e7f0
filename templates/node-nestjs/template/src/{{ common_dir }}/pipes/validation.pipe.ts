import { ValidationPipe, type ValidationError as ClassValidatorError } from "@nestjs/common";

import { ValidationError, type ErrorDetail } from "../errors.js";

/** class-transformer's @Transform for a string field that is trimmed before it is checked. */
export const trimmed = ({ value }: { value: unknown }): unknown =>
  typeof value === "string" ? value.trim() : value;

/** @Transform for an integer query parameter: digits become a number, anything else stays. */
export const integer = ({ value }: { value: unknown }): unknown =>
  typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;

// The constraint a field's message names when it breaks several: its type first.
const FIRST = ["whitelistValidation", "isString", "isInt", "isIn", "minLength", "min"];

function message(error: ClassValidatorError): string {
  const constraints = error.constraints ?? {};
  if (constraints.whitelistValidation !== undefined) {
    return "is not a field of this resource";
  }
  const key = FIRST.find((name) => name in constraints) ?? Object.keys(constraints)[0];
  return (key === undefined ? undefined : constraints[key]) ?? "is invalid";
}

function details(errors: ClassValidatorError[]): ErrorDetail[] {
  return errors.map((error) => ({ field: error.property, message: message(error) }));
}

/**
 * Checks a body or a query against its DTO class and answers 422 `validation_error` with
 * one detail per field. Values are never coerced to another type; a body field the DTO
 * lacks is refused (`forbidUnknown`), while unknown query parameters are ignored.
 */
export function validationPipe(forbidUnknown: boolean): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: forbidUnknown,
    forbidUnknownValues: true,
    exceptionFactory: (errors) => new ValidationError(details(errors)),
  });
}
