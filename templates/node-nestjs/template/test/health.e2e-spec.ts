import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

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
