import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";

import type { SqliteDatabase, SqliteStatement } from "kysely";

/**
 * Statements that answer with rows: queries, and changes with a RETURNING clause. Kysely
 * writes every value as a parameter, so the words are SQL's own.
 */
const RETURNS_ROWS = /^\s*(?:select|with|values|pragma|explain)\b|\breturning\b/i;

/**
 * Node.js's built-in SQLite (node:sqlite) in the shape Kysely's SqliteDialect expects, so
 * that no native module has to be built or downloaded.
 */
export class NodeSqliteDatabase implements SqliteDatabase {
  readonly #database: DatabaseSync;

  /** `location` is a file name (created when missing) or ":memory:". */
  constructor(location: string) {
    this.#database = new DatabaseSync(location);
    this.#database.exec("PRAGMA foreign_keys = ON");
  }

  prepare(sql: string): SqliteStatement {
    return new NodeSqliteStatement(this.#database.prepare(sql), RETURNS_ROWS.test(sql));
  }

  close(): void {
    this.#database.close();
  }
}

class NodeSqliteStatement implements SqliteStatement {
  constructor(
    readonly statement: StatementSync,
    readonly reader: boolean,
  ) {}

  all(parameters: readonly unknown[]): unknown[] {
    return this.statement.all(...parameters.map(toSqlite));
  }

  run(parameters: readonly unknown[]): {
    changes: number | bigint;
    lastInsertRowid: number | bigint;
  } {
    return this.statement.run(...parameters.map(toSqlite));
  }

  iterate(parameters: readonly unknown[]): IterableIterator<unknown> {
    return this.statement.iterate(...parameters.map(toSqlite));
  }
}

/** A value SQLite can store: dates as ISO 8601 text in UTC, booleans as 1 and 0. */
function toSqlite(value: unknown): SQLInputValue {
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (typeof value === "boolean") {
    return value ? 1 : 0;
  }
  if (
    value === null ||
    typeof value === "number" ||
    typeof value === "bigint" ||
    typeof value === "string" ||
    ArrayBuffer.isView(value)
  ) {
    return value as SQLInputValue;
  }
  throw new TypeError(`SQLite cannot store a value of type ${typeof value}`);
}
