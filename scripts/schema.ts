// npm run schema: writes schema.json, the `drs` package schema, from src/pulumi/spec.ts.
// `--check` (run by npm run lint) fails when the checked-in file differs: edit spec.ts, then
// run `npm run schema`.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { schemaText } from "../src/plugin/schema";
import { PACKAGE_VERSION } from "../src/util/package-info";

const file = path.join(__dirname, "..", "schema.json");
const want = schemaText(PACKAGE_VERSION);
if (process.argv.includes("--check")) {
  let have = "";
  try {
    have = readFileSync(file, "utf8");
  } catch {
    // Missing counts as stale.
  }
  if (have !== want) {
    console.error(
      "schema.json is stale: run `npm run schema` (it is generated from src/pulumi/spec.ts)",
    );
    process.exit(1);
  }
} else {
  writeFileSync(file, want);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
