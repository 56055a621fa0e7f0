import assert from "node:assert/strict";
import { describe, it } from "node:test";

import request from "supertest";

import { MemoryItemStore } from "../src/storage/memory-item-store.js";
import { type ErrorResponse, testApp } from "./support.js";

describe("health and readiness", () => {
  it("answers /health", async () => {
    const res = await request(testApp()).get("/health").expect(200);
    assert.deepEqual(res.body, { status: "ok" });
  });

  it("answers /ready when the store does", async () => {
    const res = await request(testApp()).get("/ready").expect(200);
    assert.deepEqual(res.body, { status: "ready" });
  });

  it("answers 503 when the store does not", async () => {
    const store = new MemoryItemStore();
    store.ping = () => Promise.reject(new Error("connection refused"));
    const res = await request(testApp(store)).get("/ready").expect(503);
    const body = res.body as ErrorResponse;
    assert.equal(body.error.code, "unavailable");
  });

  it("answers 405 with an Allow header to other methods", async () => {
    const res = await request(testApp()).post("/health").expect(405);
    assert.equal(res.get("Allow"), "GET, HEAD");
    const body = res.body as ErrorResponse;
    assert.equal(body.error.code, "method_not_allowed");
  });
});
