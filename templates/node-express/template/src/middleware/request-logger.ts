import type { RequestHandler } from "express";
import type { Logger } from "pino";

import { requestPath } from "./errors.js";

/** Probes that orchestrators call every few seconds: logged at debug level only. */
const PROBES = new Set(["/health", "/ready"]);

/** Logs one line per request once its response is sent. */
export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const path = requestPath(req);
    res.on("finish", () => {
      const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
      const fields = {
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
