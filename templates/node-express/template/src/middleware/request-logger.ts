import { randomUUID } from "node:crypto";

import type { RequestHandler } from "express";
import type { Logger } from "pino";

import { requestPath } from "./errors.js";

/** Probes that orchestrators call every few seconds: logged at debug level only. */
const PROBES = new Set(["/health", "/ready"]);

/** The longest X-Request-ID a client may choose. */
export const MAX_REQUEST_ID_LENGTH = 128;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/** A client's request id, kept when it is 1 to 128 printable ASCII characters. */
export function isRequestId(value: string | undefined): value is string {
  return (
    value !== undefined && value.length <= MAX_REQUEST_ID_LENGTH && PRINTABLE_ASCII.test(value)
  );
}

/**
 * Tags each request with an id (the client's X-Request-ID when it is acceptable, else a new
 * one), answers with it, and logs one line per request once its response is sent.
 */
export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const path = requestPath(req);
    const sent = req.get("X-Request-ID");
    const requestId = isRequestId(sent) ? sent : randomUUID();
    res.set("X-Request-ID", requestId);
    res.on("finish", () => {
      const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
      const fields = {
        request_id: requestId,
        method: req.method,
        path,
        status: res.statusCode,
        duration_ms: Math.round(elapsed * 1000) / 1000,
      };
      if (res.statusCode >= 500) {
        logger.error(fields, "request");
      } else if (PROBES.has(path)) {
        logger.debug(fields, "request");
      } else {
        logger.info(fields, "request");
      }
    });
    next();
  };
}
