import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { allowedOrigins, ConfigError, validateEnvironment } from "./environment.js";

describe("validateEnvironment", () => {
  it("keeps the defaults of unset and blank variables", () => {
    const environment = validateEnvironment({ PORT: " ", LOG_LEVEL: "" });
    assert.equal(environment.HOST, "127.0.0.1");
    assert.equal(environment.PORT, 8080);
    assert.equal(environment.LOG_LEVEL, "info");
    assert.equal(environment.SHUTDOWN_DELAY, 0);
    assert.equal(environment.SHUTDOWN_TIMEOUT, 10);
    assert.equal(environment.CORS_ALLOWED_ORIGINS, "");
  });

  it("reads the variables it is given", () => {
    const environment = validateEnvironment({
      PORT: "9000",
      LOG_LEVEL: "DEBUG",
      SHUTDOWN_DELAY: "1.5",
      SHUTDOWN_TIMEOUT: "2.5",
    });
    assert.deepEqual(
      [
        environment.PORT,
        environment.LOG_LEVEL,
        environment.SHUTDOWN_DELAY,
        environment.SHUTDOWN_TIMEOUT,
      ],
      [9000, "debug", 1.5, 2.5],
    );
  });

  it("takes a shutdown delay of 0 seconds or more", () => {
    assert.equal(validateEnvironment({ SHUTDOWN_DELAY: "0" }).SHUTDOWN_DELAY, 0);
    for (const bad of ["-1", "soon"]) {
      assert.throws(
        () => validateEnvironment({ SHUTDOWN_DELAY: bad }),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.problems.length === 1 &&
          error.problems[0]?.startsWith(`SHUTDOWN_DELAY=${JSON.stringify(bad)}: `) === true,
      );
    }
  });

  it("names every invalid variable at once", () => {
    assert.throws(
      () => validateEnvironment({ PORT: "70000", LOG_LEVEL: "loud", SHUTDOWN_TIMEOUT: "-1" }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.length === 3 &&
        error.problems[0]?.startsWith("PORT=70000: ") === true,
    );
  });
});

describe("allowedOrigins", () => {
  it("grants none when empty and each listed origin exactly", () => {
    assert.deepEqual(allowedOrigins(""), []);
    assert.deepEqual(allowedOrigins("https://a.example, https://b.example:8443,"), [
      "https://a.example",
      "https://b.example:8443",
    ]);
  });
});
