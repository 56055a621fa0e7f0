import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { ValidationError } from "../errors.js";
import { MAX_ID, ParseIdPipe } from "./parse-id.pipe.js";

describe("ParseIdPipe", () => {
  const pipe = new ParseIdPipe();

  it("reads ids from 1 to 2^31 - 1", () => {
    assert.equal(pipe.transform("1"), 1);
    assert.equal(pipe.transform(String(MAX_ID)), MAX_ID);
  });

  it("refuses anything else as a validation error on the field id", () => {
    for (const value of ["0", String(MAX_ID + 1), "1e3", "-1", "abc", "", "9".repeat(30)]) {
      assert.throws(
        () => pipe.transform(value),
        (error: unknown) => error instanceof ValidationError && error.details[0]?.field === "id",
        value,
      );
    }
  });
});
