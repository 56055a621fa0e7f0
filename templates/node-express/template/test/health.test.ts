import assert from "node:assert/strict";
import { describe, it } from "node:test";

import request from "supertest";

import { Readiness } from "../src/readiness.js";
import { DatabaseItemStore } from "../src/storage/database-item-store.js";
import { type ErrorResponse, testApp, testDatabase } from "./support.js";

describe("health and readiness", () => {
  it("answers /health", async () => {
    const app = await testApp();
    const res = await request(app).get("/health").expect(200);
    assert.deepEqual(res.body, { status: "ok" });
  });

  it("answers /ready when the database does", async () => {
    const app = await testApp();
    const res = await request(app).get("/ready").expect(200);
    assert.deepEqual(res.body, { status: "ready" });
  });

  it("answers 503 when the database does not", async () => {
    const db = await testDatabase();
    await db.destroy();
    const app = await testApp(new DatabaseItemStore(db));
    const res = await request(app).get("/ready").expect(503);
    const body = res.body as ErrorResponse;
    assert.equal(body.error.code, "unavailable");
  });

  it("answers 503 on /ready only, once the service is told to stop", async () => {
    const readiness = new Readiness();
    const app = await testApp(undefined, [], readiness);
    await request(app).get("/ready").expect(200);
    readiness.drain();
    const res = await request(app).get("/ready").expect(503);
    const body = res.body as ErrorResponse;
    assert.equal(body.error.code, "unavailable");
    assert.equal(body.error.message, "the service is shutting down");
    await request(app).get("/health").expect(200);
    await request(app).get("/api/v1/items").expect(200);
  });

  it("answers 405 with an Allow header to other methods", async () => {
    const app = await testApp();
    const res = await request(app).post("/health").expect(405);
    assert.equal(res.get("Allow"), "GET, HEAD");
    const body = res.body as ErrorResponse;
    assert.equal(body.error.code, "method_not_allowed");
  });
});
