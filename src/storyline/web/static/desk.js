// storyline — the only script: sends the token-gated write forms with an Authorization header.
// Pages work without it; it is served from this server (the Content-Security-Policy allows nothing else).
"use strict";

function namesBody(form) {
  const other = (form.elements.other.value || "").trim();
  const first = form.dataset.first;
  const firstName = form.dataset.firstName;
  // names or entity ids: the server maps an entity id to its canonical name
  const names = [first || firstName, other].filter(Boolean);
  return JSON.stringify({ names });
}

function storiesBody(form) {
  // a merge names stories (this one and the one typed in); a split names two of this story's events
  const other = (form.elements.other.value || "").trim();
  if (form.dataset.kind === "story-merge") return JSON.stringify({ stories: [form.dataset.first, other].filter(Boolean) });
  return JSON.stringify({ events: [form.elements.first.value, other].filter(Boolean) });
}

async function submitWrite(event) {
  event.preventDefault();
  const form = event.target;
  const out = form.querySelector(".write-result");
  const token = form.elements.token.value;
  const headers = { Authorization: "Bearer " + token };
  let body;
  if (form.dataset.kind === "upload") {
    body = new FormData();
    for (const file of form.elements.files.files) body.append("files", file);
  } else {
    headers["Content-Type"] = "application/json";
    body = form.dataset.kind.startsWith("story-") ? storiesBody(form) : namesBody(form);
  }
  out.textContent = "working…";
  try {
    const response = await fetch(form.dataset.api, { method: "POST", headers, body });
    const data = await response.json();
    if (!response.ok) { out.textContent = "refused: " + (data.error || response.status); return; }
    out.textContent = "done — reloading";
    window.location.reload();
  } catch (err) {
    out.textContent = "failed: " + err;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form.write-form")) form.addEventListener("submit", submitWrite);
  const target = window.location.hash && document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
  if (target) target.scrollIntoView({ block: "center" });
});
