import { type DestinationStream, type LevelWithSilent, type Logger, pino } from "pino";

/**
 * A logger writing one JSON object per line: `level` as a name, `time` in ISO 8601 and
 * `msg`. Logs go to standard output unless a destination is given (tests use one).
 */
export function createLogger(level: LevelWithSilent, destination?: DestinationStream): Logger {
  const options = {
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label: string) => ({ level: label }),
    },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
