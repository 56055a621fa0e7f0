import { randomUUID } from "node:crypto";

import type { NextFunction, Request, Response } from "express";
import type { Logger } from "pino";

/** A client's X-Request-ID is kept when it is 1 to 128 printable ASCII characters. */
const CLIENT_ID = /^[\x20-\x7e]{1,128}$/;
/** Probes, logged at debug so that they do not drown the other requests. */
const PROBES = new Set(["/health", "/ready"]);

/**
 * Gives every request an id (the client's X-Request-ID when it is usable, else a new one),
 * sends it back in X-Request-ID, and logs one JSON line once the answer is sent.
 */
export function requestContext(logger: Logger) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const given = request.get("X-Request-ID");
    const id = given !== undefined && CLIENT_ID.test(given) ? given : randomUUID();
    response.setHeader("X-Request-ID", id);
    const started = process.hrtime.bigint();
    response.on("finish", () => {
      const level = PROBES.has(request.path) ? "debug" : "info";
      logger[level](
        {
          request_id: id,
          method: request.method,
          path: request.path,
          status: response.statusCode,
          duration_ms: Number(process.hrtime.bigint() - started) / 1e6,
        },
        "request",
      );
    });
    next();
  };
}
