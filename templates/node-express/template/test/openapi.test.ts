import assert from "node:assert/strict";
import { describe, it } from "node:test";

import type { Express } from "express";
import request from "supertest";

import { openApiDocument } from "../src/openapi.js";
import { testApp } from "./support.js";

/** The paths of the service that are not part of its API. */
const UNDOCUMENTED = new Set(["/openapi.json"]);
const METHODS = ["get", "post", "put", "patch", "delete"];

/** A layer of an Express 5 router: a route, a mounted router, or other middleware. */
interface Layer {
  route?: { path: string; methods: Record<string, boolean | undefined> };
  handle: { stack?: Layer[] };
  /** Whether the layer takes `path`, and the part of it the layer's own path matched. */
  match(path: string): false | { path: string };
}

/**
 * Every "METHOD /path" the application routes (Express's ":id" written as OpenAPI's "{id}").
 * A router mounted on a path is found by matching it against the documented paths, so a
 * router mounted where the document names nothing is reported as such.
 */
function routedOperations(app: Express, documented: string[]): Set<string> {
  const found = new Set<string>();
  const walk = (stack: Layer[], prefix: string): void => {
    for (const layer of stack) {
      if (layer.route !== undefined) {
        const path = (prefix + layer.route.path).replace(/\/$/, "") || "/";
        for (const method of METHODS.filter((name) => layer.route?.methods[name] === true)) {
          found.add(`${method} ${path.replace(/:(\w+)/g, "{$1}")}`);
        }
      } else if (layer.handle.stack !== undefined) {
        const mounts = documented
          .map((path) => layer.match(path.replace(/\{\w+\}/g, "1")))
          .filter((match) => match !== false);
        assert.ok(mounts[0] !== undefined, "a router is mounted where the document names no path");
        walk(layer.handle.stack, prefix + mounts[0].path);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, "");
  return found;
}

function documentedOperations(): Set<string> {
  const found = new Set<string>();
  for (const [path, item] of Object.entries(openApiDocument.paths)) {
    for (const method of METHODS.filter((name) => name in item)) {
      found.add(`${method} ${path}`);
    }
  }
  return found;
}

describe("the OpenAPI document", () => {
  it("is served as JSON", async () => {
    const res = await request(await testApp())
      .get("/openapi.json")
      .expect("Content-Type", /^application\/json/)
      .expect(200);
    assert.deepEqual(res.body, JSON.parse(JSON.stringify(openApiDocument)));
    assert.match((res.body as { openapi: string }).openapi, /^3\.1\.\d+$/);
  });

  it("names every route the service has, and only those", async () => {
    const app = await testApp();
    const documented = documentedOperations();
    const routed = routedOperations(app, Object.keys(openApiDocument.paths));
    const served = new Set([...routed].filter((op) => !UNDOCUMENTED.has(op.split(" ")[1] ?? "")));
    assert.deepEqual([...served].sort(), [...documented].sort());
  });

  it("names methods the service answers, and the service refuses the others", async () => {
    const app = await testApp();
    const documented = documentedOperations();
    for (const path of Object.keys(openApiDocument.paths)) {
      const url = path.replace(/\{\w+\}/g, "1");
      for (const method of METHODS) {
        const res = await request(app)[method as "get"](url).send({});
        assert.equal(res.status === 405, !documented.has(`${method} ${path}`), `${method} ${url}`);
      }
    }
  });
});
