import { Injectable, type PipeTransform } from "@nestjs/common";

import { ValidationError } from "../errors.js";

/** The largest id: ids are 32-bit signed integers in every store. */
export const MAX_ID = 2_147_483_647;

/** A path's `{id}`: a whole number from 1 to MAX_ID, else 422 naming the field `id`. */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const id = /^\d{1,10}$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isInteger(id) || id < 1 || id > MAX_ID) {
      throw new ValidationError([
        { field: "id", message: `must be a whole number from 1 to ${String(MAX_ID)}` },
      ]);
    }
    return id;
  }
}
