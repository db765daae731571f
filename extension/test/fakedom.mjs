// A tiny fake DOM for tests: plain objects with nodeType, nodeName, data,
// childNodes, parentNode, textContent and getAttribute, plus a small HTML parser so
// fixtures read like markup. Not a browser; just enough for textmap.js and adapters.js.

class FakeNode {
  constructor(nodeType, nodeName) {
    this.nodeType = nodeType;
    this.nodeName = nodeName;
    this.parentNode = null;
    this.childNodes = [];
  }

  appendChild(child) {
    child.parentNode = this;
    this.childNodes.push(child);
    return child;
  }

  get textContent() {
    return this.childNodes.map((c) => c.textContent).join("");
  }
}

class FakeText extends FakeNode {
  constructor(data) {
    super(3, "#text");
    this.data = data;
  }

  get nodeValue() {
    return this.data;
  }

  get textContent() {
    return this.data;
  }
}

class FakeComment extends FakeNode {
  constructor(data) {
    super(8, "#comment");
    this.data = data;
  }

  get textContent() {
    return "";
  }
}

class FakeElement extends FakeNode {
  constructor(tag, attrs = {}) {
    super(1, tag.toUpperCase());
    this.attrs = new Map(Object.entries(attrs).map(([k, v]) => [k.toLowerCase(), String(v)]));
  }

  getAttribute(name) {
    const v = this.attrs.get(name.toLowerCase());
    return v === undefined ? null : v;
  }

  hasAttribute(name) {
    return this.attrs.has(name.toLowerCase());
  }

  setAttribute(name, value) {
    this.attrs.set(name.toLowerCase(), String(value));
  }
}

/** Element factory: h('p', { class: 'x' }, 'text', h('b', null, 'bold')). */
export function h(tag, attrs, ...children) {
  const el = new FakeElement(tag, attrs || {});
  for (const c of children.flat()) el.appendChild(typeof c === "string" ? new FakeText(c) : c);
  return el;
}

export function text(data) {
  return new FakeText(data);
}

export function comment(data) {
  return new FakeComment(data);
}

const VOID = new Set(["br", "img", "hr", "input", "meta", "link", "wbr"]);
const ENTITIES = { nbsp: "\u00A0", amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e) => {
    if (e[0] === "#")
      return String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** Parses a fragment of simple, well-formed HTML into children of `into` (a new DIV by default). */
export function parseHTML(html, into = h("div")) {
  const stack = [into];
  const re =
    /<!--([\s\S]*?)-->|<\/([a-zA-Z][\w-]*)\s*>|<([a-zA-Z][\w-]*)((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*(\/?)>|([^<]+)/g;
  for (const m of html.matchAll(re)) {
    const top = stack[stack.length - 1];
    if (m[1] !== undefined) top.appendChild(comment(m[1]));
    else if (m[2]) {
      const name = m[2].toUpperCase();
      if (top.nodeName !== name) throw new Error(`parseHTML: </${m[2]}> closes <${top.nodeName.toLowerCase()}>`);
      stack.pop();
    } else if (m[3]) {
      const attrs = {};
      const attrRe = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
      for (const a of m[4].matchAll(attrRe)) attrs[a[1]] = decode(a[2] ?? a[3] ?? a[4] ?? "");
      const el = top.appendChild(h(m[3], attrs));
      if (!m[5] && !VOID.has(m[3].toLowerCase())) stack.push(el);
    } else {
      top.appendChild(text(decode(m[6])));
    }
  }
  if (stack.length !== 1) throw new Error(`parseHTML: unclosed <${stack[stack.length - 1].nodeName.toLowerCase()}>`);
  return into;
}

/** A contenteditable root holding the parsed markup. */
export function editable(html) {
  return parseHTML(html, h("div", { contenteditable: "true" }));
}

/** All text nodes under root, in document order. */
export function textNodes(root) {
  const out = [];
  (function walk(n) {
    if (n.nodeType === 3) out.push(n);
    for (const c of n.childNodes) walk(c);
  })(root);
  return out;
}

/** The first text node whose data is exactly `data`. */
export function findText(root, data) {
  const hit = textNodes(root).find((t) => t.data === data);
  if (!hit) throw new Error(`no text node ${JSON.stringify(data)}`);
  return hit;
}

/** The first element with the given tag name (document order), optionally the nth. */
export function findElement(root, tag, nth = 0) {
  const out = [];
  (function walk(n) {
    if (n.nodeType === 1 && n.nodeName === tag.toUpperCase()) out.push(n);
    for (const c of n.childNodes) walk(c);
  })(root);
  if (!out[nth]) throw new Error(`no <${tag}> #${nth}`);
  return out[nth];
}
