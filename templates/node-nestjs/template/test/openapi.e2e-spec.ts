import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { startApp, type TestApp } from "./support.js";

describe("OpenAPI document", () => {
  let test: TestApp;

  before(async () => {
    test = await startApp();
  });
  after(async () => {
    await test.app.close();
  });

  it("describes every route, generated from the controllers", async () => {
    const response = await test.http.get("/openapi.json").expect(200);
    const document = response.body as { openapi: string; paths: Record<string, object> };
    assert.match(document.openapi, /^3\./);
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method} ${path}`),
    );
    assert.deepEqual(operations.sort(), [
      "delete /api/v1/items/{id}",
      "get /api/v1/items",
      "get /api/v1/items/{id}",
      "get /health",
      "get /ready",
      "patch /api/v1/items/{id}",
      "post /api/v1/items",
    ]);
  });
});
