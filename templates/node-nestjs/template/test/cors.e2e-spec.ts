import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { startApp } from "./support.js";

const ORIGIN = "https://app.example";

function allowHeaders(headers: Record<string, unknown>): string[] {
  return Object.keys(headers).filter((name) => name.startsWith("access-control-allow-"));
}

describe("cross-origin requests", () => {
  it("are refused to every origin when CORS_ALLOWED_ORIGINS is empty", async () => {
    const test = await startApp();
    try {
      const preflight = await test.http
        .options("/api/v1/items")
        .set("Origin", ORIGIN)
        .set("Access-Control-Request-Method", "POST");
      assert.deepEqual(allowHeaders(preflight.headers), []);
      const listing = await test.http.get("/api/v1/items").set("Origin", ORIGIN).expect(200);
      assert.deepEqual(allowHeaders(listing.headers), []);
    } finally {
      await test.app.close();
    }
  });

  it("are granted to a listed origin only", async () => {
    const test = await startApp({ corsAllowedOrigins: `${ORIGIN}, https://other.example` });
    try {
      const preflight = await test.http
        .options("/api/v1/items/1")
        .set("Origin", ORIGIN)
        .set("Access-Control-Request-Method", "PATCH")
        .set("Access-Control-Request-Headers", "content-type,x-request-id")
        .expect(204);
      assert.equal(preflight.headers["access-control-allow-origin"], ORIGIN);
      assert.match(String(preflight.headers["access-control-allow-methods"]), /PATCH/);
      assert.equal(preflight.headers["access-control-allow-credentials"], undefined);
      const listing = await test.http.get("/api/v1/items").set("Origin", ORIGIN).expect(200);
      assert.equal(listing.headers["access-control-expose-headers"], "X-Request-ID");
      const other = await test.http.get("/api/v1/items").set("Origin", "https://elsewhere.example");
      assert.deepEqual(allowHeaders(other.headers), []);
    } finally {
      await test.app.close();
    }
  });
});
