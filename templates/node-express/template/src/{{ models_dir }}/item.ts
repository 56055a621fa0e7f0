import { z } from "zod";

/** Limits on requests. Lengths count characters (Unicode code points), not UTF-16 units. */
export const MAX_NAME_LENGTH = 100;
export const MAX_DESCRIPTION_LENGTH = 1000;
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;
/** The largest id and offset a request may name: every database's integer column holds it. */
export const MAX_INTEGER = 2 ** 31 - 1;

/** One stored item. */
export interface Item {
  id: number;
  name: string;
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** An item as the API shows it. */
export interface ItemResponse {
  id: number;
  name: string;
  description: string | null;
  created_at: string;
  updated_at: string;
}

export function toItemResponse(item: Item): ItemResponse {
  return {
    id: item.id,
    name: item.name,
    description: item.description,
    created_at: item.createdAt.toISOString(),
    updated_at: item.updatedAt.toISOString(),
  };
}

/** The orders a list can be sorted in: a field, with a leading "-" for descending. */
export const SORTS = ["id", "-id", "name", "-name", "created_at", "-created_at"] as const;
export type Sort = (typeof SORTS)[number];

function characters(value: string): number {
  return Array.from(value).length;
}

const nameSchema = z
  .string({
    error: (issue) => (issue.input === undefined ? "is required" : "must be a string"),
  })
  .trim()
  .refine((name) => name.length > 0, "must not be empty")
  .refine(
    (name) => characters(name) <= MAX_NAME_LENGTH,
    `must be at most ${String(MAX_NAME_LENGTH)} characters`,
  );

const descriptionSchema = z
  .string({ error: "must be a string or null" })
  .refine(
    (description) => characters(description) <= MAX_DESCRIPTION_LENGTH,
    `must be at most ${String(MAX_DESCRIPTION_LENGTH)} characters`,
  )
  .nullable();

const bodyError = { error: "must be a JSON object" };

/** The body of POST /api/v1/items. */
export const createItemSchema = z.strictObject(
  { name: nameSchema, description: descriptionSchema.default(null) },
  bodyError,
);
export type NewItem = z.output<typeof createItemSchema>;

/** The body of PATCH /api/v1/items/{id}: only the fields sent change; a null description clears it. */
export const updateItemSchema = z.strictObject(
  { name: nameSchema.optional(), description: descriptionSchema.optional() },
  bodyError,
);
export type ItemPatch = z.output<typeof updateItemSchema>;

/** A whole number from a query or path parameter. */
function integerParam(min: number, max: number, message: string) {
  return z.string({ error: message }).transform((raw, ctx) => {
    const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      ctx.issues.push({ code: "custom", message, input: raw });
      return z.NEVER;
    }
    return value;
  });
}

/** The query of GET /api/v1/items. */
export const listItemsQuerySchema = z.object({
  limit: integerParam(1, MAX_LIMIT, `must be an integer from 1 to ${String(MAX_LIMIT)}`).default(
    DEFAULT_LIMIT,
  ),
  offset: integerParam(
    0,
    MAX_INTEGER,
    `must be an integer from 0 to ${String(MAX_INTEGER)}`,
  ).default(0),
  name: z
    .string({ error: "must be a single string" })
    .max(MAX_NAME_LENGTH, `must be at most ${String(MAX_NAME_LENGTH)} characters`)
    .optional(),
  sort: z.enum(SORTS, { error: `must be one of ${SORTS.join(", ")}` }).default("id"),
});
export type ListItemsQuery = z.output<typeof listItemsQuerySchema>;

/** The path parameters of /api/v1/items/{id}. */
export const itemIdSchema = z.object({
  id: integerParam(
    Number.MIN_SAFE_INTEGER,
    MAX_INTEGER,
    `must be an integer up to ${String(MAX_INTEGER)}`,
  ),
});

/** One page of a list. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
