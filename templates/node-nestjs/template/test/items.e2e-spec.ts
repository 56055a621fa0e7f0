import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";

import { startApp, type TestApp } from "./support.js";

const ITEMS = "/api/v1/items";

interface Item {
  id: number;
  name: string;
  description: string | null;
  created_at: string;
  updated_at: string;
}

describe("items API", () => {
  let test: TestApp;

  before(async () => {
    test = await startApp();
  });
  after(async () => {
    await test.app.close();
  });
  beforeEach(async () => {
    const listed = await test.http.get(`${ITEMS}?limit=100`);
    for (const item of (listed.body as { items: Item[] }).items) {
      await test.http.delete(`${ITEMS}/${String(item.id)}`).expect(204);
    }
  });

  async function create(name: string, description?: string): Promise<Item> {
    const response = await test.http.post(ITEMS).send({ name, description }).expect(201);
    return response.body as Item;
  }

  it("creates, reads, updates and deletes an item", async () => {
    const created = await create("  widget  ", "blue");
    assert.equal(created.name, "widget");
    assert.equal(created.description, "blue");
    assert.match(created.created_at, /Z$/);

    const url = `${ITEMS}/${String(created.id)}`;
    assert.deepEqual((await test.http.get(url).expect(200)).body, created);
    const patched = await test.http.patch(url).send({ description: null }).expect(200);
    assert.equal((patched.body as Item).description, null);
    await test.http.delete(url).expect(204);
    const missing = await test.http.get(url).expect(404);
    assert.deepEqual(missing.body, {
      error: { code: "not_found", message: `item ${String(created.id)} not found`, details: [] },
    });
  });

  it("pages, filters and sorts", async () => {
    for (const name of ["delta", "Alpha", "charlie", "Bravo", "echo"]) {
      await create(name);
    }
    const page = await test.http.get(`${ITEMS}?limit=2&offset=1&sort=name`).expect(200);
    const body = page.body as { items: Item[]; total: number; limit: number; offset: number };
    assert.deepEqual(
      body.items.map((item) => item.name),
      ["Bravo", "charlie"],
    );
    assert.deepEqual([body.total, body.limit, body.offset], [5, 2, 1]);
    const filtered = await test.http.get(`${ITEMS}?name=HA&sort=-name`).expect(200);
    assert.deepEqual(
      (filtered.body as { items: Item[] }).items.map((item) => item.name),
      ["charlie", "Alpha"],
    );
  });

  it("refuses a name already taken, as stored", async () => {
    await create("Unique");
    const conflict = await test.http.post(ITEMS).send({ name: " Unique " }).expect(409);
    assert.equal((conflict.body as { error: { code: string } }).error.code, "conflict");
    await create("unique");
  });

  it("names each invalid field", async () => {
    const cases: [unknown, string[]][] = [
      [{}, ["name"]],
      [{ name: "   " }, ["name"]],
      [{ name: null }, ["name"]],
      [{ name: 5 }, ["name"]],
      [{ name: "n".repeat(101) }, ["name"]],
      [{ name: "ok", description: 5 }, ["description"]],
      [{ name: "ok", descripton: "typo" }, ["descripton"]],
    ];
    for (const [body, fields] of cases) {
      const response = await test.http
        .post(ITEMS)
        .send(body as object)
        .expect(422);
      const error = (response.body as { error: { code: string; details: { field: string }[] } })
        .error;
      assert.equal(error.code, "validation_error");
      assert.deepEqual(
        error.details.map((detail) => detail.field),
        fields,
        JSON.stringify(body),
      );
    }
  });

  it("refuses bad queries, ids, bodies and methods in the one error format", async () => {
    const query = await test.http.get(`${ITEMS}?limit=1000&sort=size`).expect(422);
    const details = (query.body as { error: { details: { field: string }[] } }).error.details;
    assert.deepEqual(
      details.map((detail) => detail.field),
      ["limit", "sort"],
    );
    await test.http.get(`${ITEMS}/2147483648`).expect(422);
    await test.http
      .post(ITEMS)
      .set("Content-Type", "application/json")
      .send('{"name": ')
      .expect(400);
    await test.http
      .post(ITEMS)
      .set("Content-Type", "application/json")
      .send(JSON.stringify({ name: "big", description: "x".repeat(1024 * 1024) }))
      .expect(413);
    const put = await test.http.put(ITEMS).send({ name: "x" }).expect(405);
    assert.equal((put.body as { error: { code: string } }).error.code, "method_not_allowed");
    await test.http.get("/no/such/route").expect(404);
  });

  it("answers with the client's request id, or a new one", async () => {
    const kept = await test.http.get(ITEMS).set("X-Request-ID", "req-1").expect(200);
    assert.equal(kept.headers["x-request-id"], "req-1");
    const made = await test.http.get(ITEMS).set("X-Request-ID", "r".repeat(129)).expect(200);
    assert.notEqual(made.headers["x-request-id"], "r".repeat(129));
  });

  it("sends the security headers, errors included", async () => {
    for (const response of [await test.http.get(ITEMS), await test.http.get("/no/such/route")]) {
      assert.equal(response.headers["x-content-type-options"], "nosniff");
      assert.equal(response.headers["x-frame-options"], "DENY");
      assert.equal(response.headers["referrer-policy"], "no-referrer");
    }
  });
});
