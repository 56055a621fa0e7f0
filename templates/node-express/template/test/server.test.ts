import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Writable } from "node:stream";

import { createLogger } from "../src/logger.js";
import { startServer } from "../src/server.js";
import { testApp } from "./support.js";

describe("startServer", () => {
  it("serves on a free port, logs JSON and closes", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().trim().split("\n"));
        done();
      },
    });
    const logger = createLogger("info", sink);
    const running = await startServer(
      await testApp(),
      { host: "127.0.0.1", port: 0, shutdownTimeoutMs: 1000 },
      logger,
    );
    try {
      const res = await fetch(`http://127.0.0.1:${String(running.port)}/health`);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { status: "ok" });
    } finally {
      await running.close();
    }
    const first = JSON.parse(lines[0] ?? "{}") as { msg?: string; level?: string; port?: number };
    assert.equal(first.msg, "listening");
    assert.equal(first.level, "info");
    assert.equal(first.port, running.port);
  });
});
