import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setImmediate } from "node:timers/promises";

import { ShutdownState } from "../src/health/shutdown.service.js";
import { startApp, type TestApp } from "./support.js";

describe("health and readiness", () => {
  let test: TestApp;

  before(async () => {
    test = await startApp();
  });
  after(async () => {
    await test.app.close();
  });

  it("is alive and ready", async () => {
    assert.deepEqual((await test.http.get("/health").expect(200)).body, { status: "ok" });
    assert.deepEqual((await test.http.get("/ready").expect(200)).body, { status: "ready" });
  });

  it("is not ready once it is stopping", async () => {
    test.app.get(ShutdownState).stopping = true;
    const response = await test.http.get("/ready").expect(503);
    assert.equal((response.body as { error: { code: string } }).error.code, "unavailable");
    test.app.get(ShutdownState).stopping = false;
  });
});

describe("stopping", () => {
  it("turns readiness off first and serves everything else until the delay ends", async () => {
    const { app, http } = await startApp();
    // Nest's shutdown sequence, as on SIGTERM; test/environment.ts sets a short delay.
    const closing = app.close();
    await setImmediate();
    assert.equal(app.get(ShutdownState).stopping, true);
    const response = await http.get("/ready").expect(503);
    const body = response.body as { error: { code: string; message: string } };
    assert.deepEqual(
      [body.error.code, body.error.message],
      ["unavailable", "the service is shutting down"],
    );
    await http.get("/health").expect(200);
    await http.get("/api/v1/items").expect(200);
    await closing;
  });
});
