// What every Preact screen shares: htm bound to Preact's h (markup in tagged templates, no
// compile step of its own), mounting a screen afresh, taking only the latest of several answers,
// and a way to show an element built by the older DOM modules.
import { h, render } from "preact";
import { useEffect, useRef } from "preact/hooks";
import htm from "htm";

export const html = htm.bind(h);

// Renders a screen into `target` as a new instance (its own state dropped), so that each visit
// shows the archive as it stands now.
let visits = 0;
export function mountAfresh(target, component, props = {}) {
  render(h(component, { ...props, key: ++visits }), target);
}

// Mounts a DOM element made elsewhere (e.g. paper_desk.loanRequestForm) inside a Preact tree.
// It is made once, when mounted: a re-render (the viewer turning a page) keeps what was typed.
export function DomNode({ make }) {
  const holder = useRef(null);
  useEffect(() => { holder.current.replaceChildren(make()); }, []);
  return html`<span ref=${holder}></span>`;
}

// A required document's deadline (48 hours from its step, by default) as the boards show it.
export const kDeadlineStates = { green: "时限内", yellow: "即将到期", red: "已超期", filed: "已按时归档", filed_late: "逾期归档", waived: "已豁免" };

// For answers that may arrive out of order (a search typed on, a filter changed meanwhile):
// latest(promise) gives the answer, or throws its error, only when no call was made after it; a
// superseded call comes to undefined.
export function useLatest() {
  const asked = useRef(0);
  return async (promise) => {
    const mine = ++asked.current;
    try {
      const answer = await promise;
      return mine === asked.current ? answer : undefined;
    } catch (error) {
      if (mine === asked.current) throw error;
      return undefined;
    }
  };
}

export const time = (iso) => (iso ? new Date(iso).toLocaleString("zh-CN", { hour12: false }) : "—");

// A message line: ok (green) or an error (red), in plain words.
export function Message({ text, ok }) {
  if (!text) return null;
  return html`<div class=${"message " + (ok ? "ok" : "error")} role=${ok ? "status" : "alert"}>${text}</div>`;
}
