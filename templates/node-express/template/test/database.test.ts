import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";

import { sql } from "kysely";

import { createDatabase, migrateToLatest } from "../src/storage/database.js";
import { DatabaseItemStore } from "../src/storage/database-item-store.js";

const folders: string[] = [];

after(async () => {
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

describe("a SQLite file", () => {
  it("keeps the items across a restart, and each migration is applied once", async () => {
    const folder = await mkdtemp(path.join(tmpdir(), "items-"));
    folders.push(folder);
    const url = `sqlite:${path.join(folder, "items.db")}`;
    const now = new Date("2025-03-01T12:00:00.250Z");

    const first = createDatabase(url);
    await migrateToLatest(first);
    const created = await new DatabaseItemStore(first).create(
      { name: "widget", description: null },
      now,
    );
    await first.destroy();

    const second = createDatabase(url);
    await migrateToLatest(second);
    const store = new DatabaseItemStore(second);
    assert.deepEqual(await store.get(created.id), created);
    const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(second);
    assert.deepEqual(
      applied.rows.map((row) => row.name),
      ["0001-create-items"],
    );
    await second.destroy();
  });

  it("refuses a URL that is not a database", () => {
    assert.throws(() => createDatabase("sqlite:/no/such/folder/items.db"));
  });
});
