// The API reference, rendered from /openapi.json with nothing but this file (no CDN).
"use strict";

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function resolve(description, schema) {
  const ref = schema && schema.$ref;
  if (!ref) return schema;
  return ref.split("/").slice(1).reduce((node, part) => node[part], description);
}

function table(rows, headings) {
  const result = element("table");
  const head = element("tr");
  headings.forEach((heading) => head.appendChild(element("th", heading)));
  result.appendChild(head);
  rows.forEach((row) => {
    const line = element("tr");
    row.forEach((cell) => line.appendChild(element("td", cell)));
    result.appendChild(line);
  });
  return result;
}

function operation(description, path, method, spec) {
  const block = element("details");
  const summary = element("summary");
  summary.appendChild(element("span", method.toUpperCase(), "method"));
  summary.appendChild(element("span", path + "  ", "path"));
  summary.appendChild(element("span", spec.summary || ""));
  block.appendChild(summary);
  if (spec.description) block.appendChild(element("p", spec.description));
  const parameters = (spec.parameters || []).map((p) => [
    p.name, p.in, p.required ? "required" : "optional", (p.description || ""),
  ]);
  if (parameters.length) block.appendChild(table(parameters, ["parameter", "in", "", "meaning"]));
  const body = spec.requestBody && spec.requestBody.content;
  if (body) {
    Object.entries(body).forEach(([media, content]) => {
      block.appendChild(element("p", "Body (" + media + "):"));
      const schema = resolve(description, content.schema);
      block.appendChild(element("pre", JSON.stringify(schema, null, 2)));
    });
  }
  const responses = Object.entries(spec.responses || {}).map(([code, answer]) => [
    code, answer.description || "",
  ]);
  block.appendChild(table(responses, ["status", "meaning"]));
  return block;
}

async function render() {
  const description = await (await fetch("/openapi.json")).json();
  const about = document.getElementById("about");
  about.textContent = description.info.description || "";
  const main = document.getElementById("operations");
  const byTag = new Map();
  Object.entries(description.paths).forEach(([path, methods]) => {
    Object.entries(methods).forEach(([method, spec]) => {
      const tag = (spec.tags || ["other"])[0];
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push(operation(description, path, method, spec));
    });
  });
  byTag.forEach((blocks, tag) => {
    main.appendChild(element("h2", tag));
    blocks.forEach((block) => main.appendChild(block));
  });
}

render();
