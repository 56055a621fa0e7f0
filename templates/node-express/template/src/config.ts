import type { LevelWithSilent } from "pino";

/** The service's settings, read from the environment. */
export interface Config {
  /** Address to listen on (HOST); 0.0.0.0 listens on every interface. */
  host: string;
  /** TCP port to listen on (PORT); 0 picks a free one. */
  port: number;
  /** Least severe level logged (LOG_LEVEL). */
  logLevel: LevelWithSilent;
  /** How long to wait for requests in flight when stopping (SHUTDOWN_TIMEOUT, in seconds). */
  shutdownTimeoutMs: number;
}

export const DEFAULT_CONFIG: Readonly<Config> = {
  host: "127.0.0.1",
  port: 8080,
  logLevel: "info",
  shutdownTimeoutMs: 10_000,
};

const LEVELS: readonly LevelWithSilent[] = [
  "trace",
  "debug",
  "info",
  "warn",
  "error",
  "fatal",
  "silent",
];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join("; ")}`);
    this.name = "ConfigError";
  }
}

/**
 * Reads the settings from `env` (process.env in main), keeping the default of every variable
 * that is unset or empty. Throws a ConfigError naming every invalid variable at once.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const config = { ...DEFAULT_CONFIG };
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === "" ? undefined : value;
  };

  const host = read("HOST");
  if (host !== undefined) {
    config.host = host;
  }
  const port = read("PORT");
  if (port !== undefined) {
    const value = /^\d+$/.test(port) ? Number(port) : Number.NaN;
    if (Number.isInteger(value) && value >= 0 && value <= 65535) {
      config.port = value;
    } else {
      problems.push(`PORT=${JSON.stringify(port)}: use a number from 0 to 65535`);
    }
  }
  const level = read("LOG_LEVEL")?.toLowerCase();
  if (level !== undefined) {
    const known = LEVELS.find((candidate) => candidate === level);
    if (known === undefined) {
      problems.push(`LOG_LEVEL=${JSON.stringify(level)}: use one of ${LEVELS.join(", ")}`);
    } else {
      config.logLevel = known;
    }
  }
  const timeout = read("SHUTDOWN_TIMEOUT");
  if (timeout !== undefined) {
    const seconds = Number(timeout);
    if (Number.isFinite(seconds) && seconds > 0) {
      config.shutdownTimeoutMs = Math.round(seconds * 1000);
    } else {
      problems.push(
        `SHUTDOWN_TIMEOUT=${JSON.stringify(timeout)}: use a positive number of seconds`,
      );
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return config;
}
