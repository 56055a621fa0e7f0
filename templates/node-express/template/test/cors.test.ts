import assert from "node:assert/strict";
import { describe, it } from "node:test";

import request from "supertest";

import { testApp } from "./support.js";

const ORIGIN = "https://app.example";

/** The Access-Control-Allow-* headers of an answer. */
function allowHeaders(headers: Record<string, unknown>): string[] {
  return Object.keys(headers).filter((name) => name.startsWith("access-control-allow-"));
}

function preflight(app: Awaited<ReturnType<typeof testApp>>, origin: string) {
  return request(app)
    .options("/api/v1/items")
    .set("Origin", origin)
    .set("Access-Control-Request-Method", "POST")
    .set("Access-Control-Request-Headers", "content-type,x-request-id");
}

describe("cross-origin requests", () => {
  it("are granted to no origin when CORS_ALLOWED_ORIGINS is unset", async () => {
    const app = await testApp();
    for (const origin of [ORIGIN, "null", "http://localhost:3000"]) {
      const res = await preflight(app, origin);
      assert.deepEqual(allowHeaders(res.headers), [], origin);
      const listing = await request(app).get("/api/v1/items").set("Origin", origin).expect(200);
      assert.deepEqual(allowHeaders(listing.headers), [], origin);
    }
  });

  it("are granted to a listed origin, named exactly, and to no other", async () => {
    const app = await testApp(undefined, [ORIGIN]);
    const res = await preflight(app, ORIGIN).expect(204);
    assert.equal(res.get("Access-Control-Allow-Origin"), ORIGIN);
    assert.equal(res.get("Access-Control-Allow-Methods"), "GET,HEAD,POST,PATCH,DELETE");
    assert.equal(res.get("Access-Control-Allow-Headers"), "Content-Type,X-Request-ID");
    assert.equal(res.get("Access-Control-Allow-Credentials"), undefined);

    const listing = await request(app).get("/api/v1/items").set("Origin", ORIGIN).expect(200);
    assert.equal(listing.get("Access-Control-Allow-Origin"), ORIGIN);
    assert.equal(listing.get("Access-Control-Expose-Headers"), "X-Request-ID");
    assert.equal(listing.get("Vary"), "Origin");

    for (const other of ["https://app.example.evil", "http://app.example", "null"]) {
      const refused = await preflight(app, other);
      assert.deepEqual(allowHeaders(refused.headers), [], other);
      const plain = await request(app).get("/api/v1/items").set("Origin", other).expect(200);
      assert.deepEqual(allowHeaders(plain.headers), [], other);
      assert.equal(plain.get("Vary"), "Origin");
    }
  });
});

describe("security headers", () => {
  it("are on every answer, errors included", async () => {
    const app = await testApp();
    const answers = [
      await request(app).get("/health").expect(200),
      await request(app).get("/nowhere").expect(404),
      await request(app)
        .post("/api/v1/items")
        .set("Content-Type", "application/json")
        .send("not json")
        .expect(400),
    ];
    for (const res of answers) {
      assert.equal(res.get("X-Content-Type-Options"), "nosniff");
      assert.equal(res.get("X-Frame-Options"), "DENY");
      assert.equal(res.get("Referrer-Policy"), "no-referrer");
      assert.equal(res.get("X-Powered-By"), undefined);
    }
  });
});
