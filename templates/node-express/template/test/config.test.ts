import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { ConfigError, DEFAULT_CONFIG, loadConfig } from "../src/config.js";

describe("loadConfig", () => {
  it("keeps the defaults for unset and empty variables", () => {
    assert.deepEqual(loadConfig({ PORT: "", LOG_LEVEL: "  " }), DEFAULT_CONFIG);
  });

  it("reads every variable", () => {
    const env = { HOST: "0.0.0.0", PORT: "9000", LOG_LEVEL: "DEBUG", SHUTDOWN_TIMEOUT: "2.5" };
    assert.deepEqual(loadConfig(env), {
      host: "0.0.0.0",
      port: 9000,
      logLevel: "debug",
      shutdownTimeoutMs: 2500,
    });
  });

  it("names every invalid variable at once", () => {
    assert.throws(
      () => loadConfig({ PORT: "http", LOG_LEVEL: "loud", SHUTDOWN_TIMEOUT: "-1" }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(
          error.problems.map((problem) => problem.split("=")[0]),
          ["PORT", "LOG_LEVEL", "SHUTDOWN_TIMEOUT"],
        );
        return true;
      },
    );
  });
});
