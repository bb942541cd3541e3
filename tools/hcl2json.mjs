#!/usr/bin/env node
// Parses Terraform (.tf) files with HashiCorp's HCL parser (@cdktf/hcl2json, Go compiled to wasm)
// and prints one JSON object to stdout, keyed by each file path exactly as given:
//   node tools/hcl2json.mjs a.tf b.tf   ->   {"a.tf": {...}, "b.tf": {...}}
// On any parse error it prints "hcl2json: <file>: <parser message>" to stderr for every failing
// file, prints nothing to stdout and exits 1. Usage or read errors exit 2.
// This checks HCL syntax only (what `terraform validate` would parse), not provider schemas.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
// Resolved next to this script (tools/node_modules), whatever the caller's cwd is.
const { parse } = require("@cdktf/hcl2json");

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write("usage: node hcl2json.mjs FILE.tf [FILE.tf ...]\n");
  process.exit(2);
}

const out = {};
let failed = false;
for (const file of files) {
  let contents;
  try {
    contents = await readFile(file, "utf8");
  } catch (err) {
    process.stderr.write(`hcl2json: ${file}: cannot read: ${err.message}\n`);
    process.exit(2);
  }
  try {
    out[file] = await parse(file, contents);
  } catch (err) {
    failed = true;
    const msg = String(err && err.message ? err.message : err).trim();
    process.stderr.write(`hcl2json: ${file}: ${msg}\n`);
  }
}

if (failed) {
  process.exit(1);
}
// The Go wasm runtime keeps running after parse(); exit explicitly once stdout is flushed.
process.stdout.write(JSON.stringify(out, null, 2) + "\n", () => process.exit(0));
