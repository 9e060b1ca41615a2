// What every browser test needs: the real dangan server on a loopback port with a fresh data
// folder, a JSON client for setting the scene, and Debian's Chromium under playwright-core.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { chromium } from "playwright-core";

export const adminPassword = "admin-secret-1";

export async function startServer(extraArgs = []) {
  const binary = process.env.DANGAN_BINARY;
  if (!binary) throw new Error("DANGAN_BINARY must name the dangan executable (ctest sets it)");
  const dir = mkdtempSync(join(tmpdir(), "dangan-web-"));
  const child = spawn(binary, ["serve", "--data", join(dir, "data"), "--port", "0", "--host", "127.0.0.1", ...extraArgs], {
    env: { ...process.env, DANGAN_ADMIN_PASSWORD: adminPassword },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stderr.on("data", (d) => { log += d; });
  const port = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error("server did not start: " + out + log)), 30000);
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/listening on http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}): ${out}${log}`)); });
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    base, dir, log: () => log,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.on("exit", resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function signIn(base, username, password) {
  const r = await fetch(base + "/api/login", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password }) });
  if (!r.ok) throw new Error("login failed: " + (await r.text()));
  const { token } = await r.json();
  return async (method, path, body, type = "application/json") => {
    const response = await fetch(base + path, { method, headers: { Authorization: "Bearer " + token, "Content-Type": type },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (response.headers.get("Content-Type") || "").includes("json") ? JSON.parse(text) : text;
  };
}

// `dangan serve --demo` on a fresh data folder, once its demo archive is filled: the demo fills it
// in the background, and its last step is the loan request waiting for approval.
export const demoPassword = "demo-2026";
export async function startDemoServer() {
  const server = await startServer(["--demo"]);
  const admin = await signIn(server.base, "admin", adminPassword);
  for (let i = 0; i < 240; ++i) {
    try {
      if ((await admin("GET", "/api/loans?state=requested")).loans.length) break;
    } catch { /* the demo users are still being made */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  return server;
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true,
    args: ["--no-sandbox"] });
}

// A new page of the web application, signed in through its login form as `username`.
export async function signedInPage(browser, base, username, password, { timeout = 30000 } = {}) {
  const page = await browser.newPage({ acceptDownloads: true });
  page.setDefaultTimeout(timeout);
  await page.goto(base + "/");
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await page.click('#login-form button[type="submit"]');
  await page.locator("#app-view").waitFor();
  return page;
}

// A scanned page from the project's own fixture maker (tests/support/fixture_tool.cpp).
export function fixture(...args) {
  execFileSync(process.env.DANGAN_FIXTURE, args, { stdio: ["ignore", "ignore", "inherit"] });
}

// The first page of a PDF rendered by Poppler's pdftoppm at 200 dpi, as a gray PNG: its path.
export function renderFirstPage(pdfPath, prefix) {
  execFileSync("pdftoppm", ["-r", "200", "-gray", "-png", "-f", "1", "-l", "1", "-singlefile", pdfPath, prefix]);
  return prefix + ".png";
}

// Files one document through POST /api/scans as `username`: fields (account_no, process,
// doc_type, …) and the page images' paths. The filed document as the API answers it.
export async function fileDocument(base, username, password, fields, imagePaths) {
  const login = await fetch(base + "/api/login", { method: "POST", body: JSON.stringify({ username, password }) });
  if (!login.ok) throw new Error("login failed: " + (await login.text()));
  const { token } = await login.json();
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const path of imagePaths)
    form.append("files", new Blob([readFileSync(path)], { type: "image/jpeg" }), basename(path));
  const filed = await fetch(base + "/api/scans", { method: "POST", headers: { Authorization: "Bearer " + token }, body: form });
  const text = await filed.text();
  if (filed.status !== 201) throw new Error(`filing failed: ${filed.status} ${text}`);
  return JSON.parse(text);
}
