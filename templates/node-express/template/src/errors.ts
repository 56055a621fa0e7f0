/**
 * The errors the service answers with. Each one knows its HTTP status and the `code` of the
 * shared error format: `{"error": {"code": "...", "message": "...", "details": [...]}}`.
 */

export type ErrorCode =
  | "validation_error"
  | "bad_request"
  | "unauthorized"
  | "not_found"
  | "method_not_allowed"
  | "conflict"
  | "payload_too_large"
  | "internal_error"
  | "unavailable";

/** What is wrong with one field of a request (a body field, a query or path parameter). */
export interface ErrorDetail {
  field: string;
  message: string;
}

export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    details: ErrorDetail[];
  };
}

/** An error whose message is safe to show to clients. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

export class BadRequestError extends AppError {
  constructor(message: string) {
    super(400, "bad_request", message);
  }
}

export class ValidationError extends AppError {
  constructor(details: ErrorDetail[], message = "the request is not valid") {
    super(422, "validation_error", message, details);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super(404, "not_found", message);
  }
}

export class MethodNotAllowedError extends AppError {
  constructor(
    method: string,
    path: string,
    readonly allowed: readonly string[],
  ) {
    super(405, "method_not_allowed", `method ${method} is not allowed on ${path}`);
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super(409, "conflict", message);
  }
}

export class UnavailableError extends AppError {
  constructor(message: string, options?: ErrorOptions) {
    super(503, "unavailable", message, [], options);
  }
}
