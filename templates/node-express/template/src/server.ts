import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

import type { Logger } from "pino";

import type { Readiness } from "./readiness.js";

export interface ServerOptions {
  host: string;
  port: number;
  shutdownTimeoutMs: number;
}

export interface RunningServer {
  /** The port the server listens on (useful when asked for port 0). */
  port: number;
  /**
   * Stops accepting connections and resolves once the requests in flight are answered;
   * connections still open after the shutdown timeout are cut.
   */
  close(): Promise<void>;
}

/** Starts an HTTP server for `handler` and resolves once it listens. */
export async function startServer(
  handler: RequestListener,
  options: ServerOptions,
  logger: Logger,
): Promise<RunningServer> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  logger.info({ host: options.host, port }, "listening");
  return { port, close: () => closeServer(server, options.shutdownTimeoutMs) };
}

function closeServer(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      server.closeAllConnections();
    }, timeoutMs);
    timer.unref();
    server.close((error) => {
      clearTimeout(timer);
      if (error) {
        reject(error);
      } else {
        resolve();
      }
    });
    server.closeIdleConnections();
  });
}

export interface DrainOptions {
  /** Turned off first, at once: GET /ready answers 503 from then on. */
  readiness: Readiness;
  /** How long everything else is still served before the server closes (SHUTDOWN_DELAY). */
  delayMs: number;
}

/**
 * Turns readiness off, keeps serving for the delay so load balancers notice, then closes
 * `running` (see RunningServer.close): resolves once it is closed.
 */
export async function drainThenClose(
  running: RunningServer,
  { readiness, delayMs }: DrainOptions,
  logger: Logger,
): Promise<void> {
  readiness.drain();
  if (delayMs > 0) {
    logger.info({ delayMs }, "readiness off, serving until the shutdown delay ends");
    await sleep(delayMs);
  }
  await running.close();
}

/**
 * Drains `running` (see drainThenClose) on the first SIGINT or SIGTERM; a second signal exits
 * at once. Logs "shutting down" when a signal arrives and "stopped" once every request is
 * answered.
 */
export function stopOnSignals(running: RunningServer, drain: DrainOptions, logger: Logger): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, "second signal, exiting now");
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, "shutting down");
    drainThenClose(running, drain, logger).then(
      () => {
        logger.info("stopped");
      },
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exitCode = 1;
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
