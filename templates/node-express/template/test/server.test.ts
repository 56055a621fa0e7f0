import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Writable } from "node:stream";

import { createLogger } from "../src/logger.js";
import { Readiness } from "../src/readiness.js";
import { drainThenClose, startServer } from "../src/server.js";
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

  it("turns readiness off first, serves on for the delay, then closes", async () => {
    const readiness = new Readiness();
    const logger = createLogger("silent");
    const running = await startServer(
      await testApp(undefined, [], readiness),
      { host: "127.0.0.1", port: 0, shutdownTimeoutMs: 1000 },
      logger,
    );
    const base = `http://127.0.0.1:${String(running.port)}`;
    let closed = false;
    const drained = drainThenClose(running, { readiness, delayMs: 500 }, logger).then(() => {
      closed = true;
    });
    assert.equal(readiness.draining, true);
    const ready = await fetch(`${base}/ready`);
    assert.equal(ready.status, 503);
    const body = (await ready.json()) as { error: { code: string } };
    assert.equal(body.error.code, "unavailable");
    const health = await fetch(`${base}/health`, { headers: { Connection: "close" } });
    assert.equal(health.status, 200);
    assert.equal(closed, false);
    await drained;
    await assert.rejects(fetch(`${base}/health`));
  });
});
