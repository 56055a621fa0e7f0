import { HttpException, HttpStatus } from "@nestjs/common";

/** One field a request got wrong. */
export interface ErrorDetail {
  field: string;
  message: string;
}

/** The one error body every answer that is not a success carries. */
export interface ErrorBody {
  error: { code: string; message: string; details: ErrorDetail[] };
}

/** An error answered as `{"error": {"code", "message", "details"}}` with its status. */
export class ApiError extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message, status);
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

export class ValidationError extends ApiError {
  constructor(details: ErrorDetail[]) {
    super(
      HttpStatus.UNPROCESSABLE_ENTITY,
      "validation_error",
      "request validation failed",
      details,
    );
  }
}

export class NotFoundError extends ApiError {
  constructor(message: string) {
    super(HttpStatus.NOT_FOUND, "not_found", message);
  }
}

export class ConflictError extends ApiError {
  constructor(message: string) {
    super(HttpStatus.CONFLICT, "conflict", message);
  }
}

export class UnavailableError extends ApiError {
  constructor(message: string) {
    super(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", message);
  }
}

/** The code each status of an error Nest or Express raised maps to. */
export const CODES: Readonly<Partial<Record<number, string>>> = {
  400: "bad_request",
  401: "unauthorized",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  422: "validation_error",
  500: "internal_error",
  503: "unavailable",
};

export class MethodNotAllowedError extends ApiError {
  constructor(readonly allowed: string[]) {
    super(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "method not allowed");
  }
}
