// Bundles the web application into one folder the server serves (`dangan serve --web DIR`):
// index.html, app.js (every module and npm package, minified) and app.css (ours and the
// packages' style sheets). Usage: node build.mjs OUT_DIR
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
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
} catch (error) {
  console.error("web build failed: " + error.message);
  process.exit(1);
}
