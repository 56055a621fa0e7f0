import { type Kysely, PostgresAdapter, sql } from "kysely";

/** The items table: names unique as stored, time stamps in UTC. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable("items")
    .addColumn("id", "integer", (column) =>
      postgres
        ? column.primaryKey().generatedAlwaysAsIdentity()
        : column.primaryKey().autoIncrement(),
    )
    .addColumn("name", "varchar(100)", (column) => column.notNull().unique())
    .addColumn("description", "varchar(1000)")
    .addColumn("created_at", "timestamptz", (column) => column.notNull())
    .addColumn("updated_at", "timestamptz", (column) => column.notNull())
    .execute();
  // Sorting by name ignores case.
  await db.schema
    .createIndex("items_name_lower")
    .on("items")
    .column(sql`lower(name)`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("items").execute();
}
