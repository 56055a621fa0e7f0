import type { ColumnType, Generated } from "kysely";

/** A timestamp: written as an ISO 8601 string, read back as the driver gives it. */
export type Timestamp = ColumnType<Date | string, string, string>;

export interface ItemTable {
  id: Generated<number>;
  name: string;
  description: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Every table Kysely's queries may name, with its columns' types. */
export interface Database {
  items: ItemTable;
}
