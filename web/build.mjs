// Bundles the web application into one folder the server serves (`dangan serve --web DIR`):
// index.html, app.js (every module and npm package, minified) and app.css (ours and the
// packages' style sheets). Usage: node build.mjs OUT_DIR
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { brotliCompressSync, constants } from "node:zlib";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] || join(here, "..", "build", "webapp"));
mkdirSync(out, { recursive: true });
try {
  await build({
    entryPoints: { app: join(here, "app.js") },
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2022",
    sourcemap: "linked",
    outdir: out,
    logLevel: "warning",
    legalComments: "linked",
  });
  copyFileSync(join(here, "index.html"), join(out, "index.html"));
  // The bundle brotli-compressed once, at its best, for browsers that take it (the server sends
  // app.js.br for app.js when it is as new as app.js).
  for (const name of ["app.js", "app.css"])
    writeFileSync(join(out, name + ".br"), brotliCompressSync(readFileSync(join(out, name)), {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } }));
} catch (error) {
  console.error("web build failed: " + error.message);
  process.exit(1);
}
