import type { ErrorRequestHandler, Request, RequestHandler } from "express";
import type { Logger } from "pino";

import {
  AppError,
  BadRequestError,
  type ErrorCode,
  MethodNotAllowedError,
  NotFoundError,
} from "../errors.js";

/** The path of a request, without its query string. */
export function requestPath(req: Request): string {
  return new URL(req.originalUrl, "http://localhost").pathname;
}

/** Answers 404 for every request no route matched; mounted after all routers. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`no route for ${req.method} ${requestPath(req)}`));
};

/** Answers 405, with an Allow header, on a path that exists but not with this method. */
export function methodNotAllowed(...allowed: string[]): RequestHandler {
  return (req, _res, next) => {
    next(new MethodNotAllowedError(req.method, requestPath(req), allowed));
  };
}

const CODES: Partial<Record<number, ErrorCode>> = {
  400: "bad_request",
  401: "unauthorized",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  422: "validation_error",
  503: "unavailable",
};

/** An error raised by Express or its body parser for a bad request (http-errors). */
interface ClientHttpError extends Error {
  status: number;
  expose: boolean;
  type?: string;
}

function isClientHttpError(error: unknown): error is ClientHttpError {
  if (!(error instanceof Error)) {
    return false;
  }
  const { status, expose } = error as Partial<ClientHttpError>;
  return typeof status === "number" && status >= 400 && status < 500 && expose === true;
}

function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) {
    return error;
  }
  if (isClientHttpError(error)) {
    if (error.type === "entity.parse.failed") {
      return new BadRequestError("the request body is not valid JSON");
    }
    return new AppError(error.status, CODES[error.status] ?? "bad_request", error.message);
  }
  return undefined;
}

/**
 * Turns every error into the shared JSON error format. Errors the service did not expect
 * are logged and answered with a 500 that tells the client nothing more.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    let known = toAppError(error);
    if (known === undefined) {
      logger.error({ err: error, method: req.method, path: requestPath(req) }, "unhandled error");
      known = new AppError(500, "internal_error", "internal server error");
    }
    if (known instanceof MethodNotAllowedError) {
      res.set("Allow", known.allowed.join(", "));
    }
    res.status(known.status).json(known.toBody());
  };
}
