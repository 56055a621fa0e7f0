import {
  Catch,
  HttpException,
  Inject,
  type ArgumentsHost,
  type ExceptionFilter,
} from "@nestjs/common";
import type { Response } from "express";
import type { Logger } from "pino";

import { ApiError, CODES, MethodNotAllowedError, type ErrorBody } from "../errors.js";
import { LOGGER } from "../logger.js";

/** Express's body parser reports a refused body with a status and a type. */
function parserError(error: unknown): { status: number; message: string } | undefined {
  if (typeof error !== "object" || error === null || !("type" in error)) {
    return undefined;
  }
  if (error.type === "entity.too.large") {
    return { status: 413, message: "the request body is larger than 1 MiB" };
  }
  if (error.type === "entity.parse.failed") {
    return { status: 400, message: "the request body is not valid JSON" };
  }
  if ("status" in error && typeof error.status === "number" && error.status < 500) {
    return { status: error.status, message: "the request body could not be read" };
  }
  return undefined;
}

/** Every error, whatever raised it, as `{"error": {"code", "message", "details"}}`. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    let status = 500;
    let body: ErrorBody;
    const refused = parserError(exception);
    if (exception instanceof ApiError) {
      status = exception.getStatus();
      body = exception.toBody();
      if (exception instanceof MethodNotAllowedError) {
        response.setHeader("Allow", exception.allowed.join(", "));
      }
    } else if (refused !== undefined) {
      status = refused.status;
      body = {
        error: { code: CODES[status] ?? "bad_request", message: refused.message, details: [] },
      };
    } else if (exception instanceof HttpException && exception.getStatus() < 500) {
      status = exception.getStatus();
      const message = status === 404 ? "no such route" : exception.message;
      body = { error: { code: CODES[status] ?? "bad_request", message, details: [] } };
    } else {
      if (exception instanceof HttpException) {
        status = exception.getStatus();
      }
      this.logger.error({ err: exception }, "request failed");
      body = {
        error: { code: CODES[status] ?? "internal_error", message: "internal error", details: [] },
      };
    }
    if (!response.headersSent) {
      response.status(status).json(body);
    }
  }
}
