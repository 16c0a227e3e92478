// Progressive enhancement of the query page: run the query with fetch and show the result as a table.
// Without JavaScript the form submits normally and the server renders the same table.
"use strict";

// The one rule for links made from IRIs (as publisher/web/hrefs.py for the templates): only what the browser
// resolves to an http(s) address becomes a link; javascript:, data: and every other scheme stay text.
function linkable(iri) {
  try {
    const protocol = new URL(iri, document.baseURI).protocol;
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

function cell(binding) {
  const td = document.createElement("td");
  if (!binding) return td;
  if (binding.type === "uri" && linkable(binding.value)) {
    const a = document.createElement("a");
    a.href = binding.value;
    a.textContent = binding.value;
    td.appendChild(a);
  } else {
    td.textContent = binding.value;
  }
  return td;
}

function renderTable(json, target) {
  target.replaceChildren();
  if (typeof json.boolean === "boolean") {
    const p = document.createElement("p");
    p.textContent = "Antwort: " + (json.boolean ? "ja (true)" : "nein (false)");
    target.appendChild(p);
    return;
  }
  const info = document.createElement("p");
  info.textContent = json.results.bindings.length + " Zeilen.";
  target.appendChild(info);
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  for (const name of json.head.vars) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = name;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const row of json.results.bindings) {
    const tr = body.insertRow();
    for (const name of json.head.vars) tr.appendChild(cell(row[name]));
  }
  target.appendChild(table);
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("query-form");
  const target = document.getElementById("results");
  const textarea = document.getElementById("query");
  if (!form || !target || !textarea) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const query = textarea.value;
    const url = form.action + "?" + new URLSearchParams({ query }).toString();
    target.textContent = "…";
    const response = await fetch(url, { headers: { Accept: "application/sparql-results+json, text/turtle;q=0.9" } });
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok) {
      const p = document.createElement("p");
      p.className = "error-message";
      p.setAttribute("role", "alert");
      p.textContent = (await response.text()).trim();
      target.replaceChildren(p);
    } else if (type.includes("json")) {
      renderTable(await response.json(), target);
    } else {
      const pre = document.createElement("pre");
      pre.textContent = await response.text();
      target.replaceChildren(pre);
    }
    history.replaceState(null, "", url);
  });
  for (const link of document.querySelectorAll(".examples a[data-query]")) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      textarea.value = link.dataset.query;
      form.requestSubmit();
    });
  }
});
