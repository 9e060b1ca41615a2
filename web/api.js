// The session and every call to the JSON API. An error the API returns becomes an Error whose
// message is the API's Chinese `message` (import rows listed by line under it).
import { fieldName, inPlainWords } from "./plain_words.js";

export const session = {
  current: JSON.parse(sessionStorage.getItem("dangan.session") || "null"),
  onExpired: () => {},
  keep(signedIn) {
    this.current = signedIn;
    if (signedIn) sessionStorage.setItem("dangan.session", JSON.stringify(signedIn));
    else sessionStorage.removeItem("dangan.session");
  },
  authorization() { return this.current ? { Authorization: "Bearer " + this.current.token } : {}; },
};

async function problemOf(response, body) {
  if (response.status === 401 && session.current) { session.onExpired(); return new Error("登录已过期，请重新登录"); }
  const rows = body && body.rows ? body.rows.map((r) => `第 ${r.line} 行${r.field && r.field !== "rules" ? " " + fieldName(r.field) : ""}：${inPlainWords(r.message, 400)}`).join("\n") : "";
  return new Error(inPlainWords(body && (body.message || body.error), response.status) + (rows ? "\n" + rows : ""));
}

export async function api(path, options = {}) {
  const headers = { ...(options.headers || {}), ...session.authorization() };
  const response = await fetch(path, { ...options, headers });
  const type = response.headers.get("Content-Type") || "";
  const body = type.includes("json") ? await response.json() : null;
  if (!response.ok) throw await problemOf(response, body);
  return body;
}

// A JSON body sent with `method` (POST, PUT, PATCH); the answer as api() gives it.
export function sendJson(method, path, body) {
  return api(path, { method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

// Images and PDFs, which need the bearer token too: a Blob.
export async function fetchBlob(path) {
  const response = await fetch(path, { headers: session.authorization() });
  if (!response.ok) {
    const type = response.headers.get("Content-Type") || "";
    throw await problemOf(response, type.includes("json") ? await response.json() : null);
  }
  return response.blob();
}

export async function loadImage(img, path) {
  try {
    img.src = URL.createObjectURL(await fetchBlob(path));
  } catch { img.alt = "图像无法加载"; }
}

// A multipart POST that reports its upload progress (fetch cannot): onProgress(sent, total).
export function uploadWithProgress(path, form, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", path);
    for (const [k, v] of Object.entries(session.authorization())) request.setRequestHeader(k, v);
    request.upload.addEventListener("progress", (e) => { if (e.lengthComputable) onProgress(e.loaded, e.total); });
    request.addEventListener("load", async () => {
      let body = null;
      try { body = JSON.parse(request.responseText); } catch { /* not JSON */ }
      if (request.status >= 200 && request.status < 300) resolve(body);
      else reject(await problemOf({ status: request.status }, body));
    });
    request.addEventListener("error", () => reject(new Error("网络连接中断，上传没有完成，请重试")));
    request.send(form);
  });
}

export function element(tag, properties = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(properties)) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k in e) e[k] = v;
    else e.setAttribute(k, v);
  }
  e.append(...children.filter((c) => c !== null && c !== undefined));
  return e;
}
