import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { ConfigError, DEFAULT_CONFIG, loadConfig } from "../src/config.js";

describe("loadConfig", () => {
  it("keeps the defaults for unset and empty variables", () => {
    assert.deepEqual(loadConfig({ PORT: "", LOG_LEVEL: "  " }), DEFAULT_CONFIG);
  });

  it("reads every variable", () => {
    const env = {
      HOST: "0.0.0.0",
      PORT: "9000",
      LOG_LEVEL: "DEBUG",
      SHUTDOWN_DELAY: "1.5",
      SHUTDOWN_TIMEOUT: "2.5",
      DATABASE_URL: "sqlite:/var/lib/items.db",
      CORS_ALLOWED_ORIGINS: " https://app.example, http://localhost:5173 ,",
    };
    assert.deepEqual(loadConfig(env), {
      host: "0.0.0.0",
      port: 9000,
      logLevel: "debug",
      shutdownDelayMs: 1500,
      shutdownTimeoutMs: 2500,
      databaseUrl: "sqlite:/var/lib/items.db",
      corsAllowedOrigins: ["https://app.example", "http://localhost:5173"],
    });
  });

  it("grants cross-origin access to no origin by default", () => {
    assert.deepEqual(loadConfig({}).corsAllowedOrigins, []);
    assert.deepEqual(loadConfig({ CORS_ALLOWED_ORIGINS: " , " }).corsAllowedOrigins, []);
  });

  it("takes no shutdown delay by default, and none below zero", () => {
    assert.equal(loadConfig({}).shutdownDelayMs, 0);
    assert.equal(loadConfig({ SHUTDOWN_DELAY: "0" }).shutdownDelayMs, 0);
    assert.throws(
      () => loadConfig({ SHUTDOWN_DELAY: "-1" }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(error.problems, [
          'SHUTDOWN_DELAY="-1": use a number of seconds, 0 or more',
        ]);
        return true;
      },
    );
  });

  it("names every invalid variable at once", () => {
    assert.throws(
      () =>
        loadConfig({
          PORT: "http",
          LOG_LEVEL: "loud",
          SHUTDOWN_DELAY: "soon",
          SHUTDOWN_TIMEOUT: "-1",
          DATABASE_URL: "mysql://root:secret@db/items",
          CORS_ALLOWED_ORIGINS: "https://app.example/,*",
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(
          error.problems.map((problem) => /^[A-Z_]+/.exec(problem)?.[0]),
          [
            "PORT",
            "LOG_LEVEL",
            "SHUTDOWN_DELAY",
            "SHUTDOWN_TIMEOUT",
            "DATABASE_URL",
            "CORS_ALLOWED_ORIGINS",
            "CORS_ALLOWED_ORIGINS",
          ],
        );
        // A database URL may hold a password: it is never repeated.
        assert.ok(!error.message.includes("secret"), error.message);
        return true;
      },
    );
  });
});
