// Text extraction and offset mapping (src/content/textmap.js) on a fake DOM: blocks and
// line breaks, skipped islands, and UTF-16 offsets mapped to DOM positions and back.

import assert from "node:assert/strict";
import { test } from "node:test";
import { domPosition, domRange, extractText, snapRange, textareaText, textOffset } from "../src/content/textmap.js";
import { editable, findElement, findText, h, text, textNodes } from "./fakedom.mjs";

const textOf = (html) => extractText(editable(html)).text;

test("paragraphs are separated by one newline, none before or after", () => {
  assert.equal(textOf("<p>one</p><p>two</p><p>three</p>"), "one\ntwo\nthree");
  assert.equal(textOf("<div>a</div><div>b</div>"), "a\nb");
  assert.equal(textOf("<h1>Title</h1><blockquote><p>quoted</p></blockquote><p>end</p>"), "Title\nquoted\nend");
  assert.equal(textOf("<ul><li>a</li><li>b<ol><li>c</li></ol></li></ul>"), "a\nb\nc");
  assert.equal(textOf("lead<div>block</div>tail"), "lead\nblock\ntail");
});

test("br is a newline; a br that ends a block or the root only ends its line", () => {
  assert.equal(textOf("one<br>two"), "one\ntwo");
  assert.equal(textOf("one<br><br>two"), "one\n\ntwo");
  assert.equal(textOf("hello<br>"), "hello");
  assert.equal(textOf("hello<br><br>"), "hello\n");
  assert.equal(textOf("<p>a<br></p><p>b</p>"), "a\nb");
  assert.equal(textOf("<p>a<br><br></p><p>b</p>"), "a\n\nb");
});

test("empty lines: a block holding only a br is one empty line", () => {
  assert.equal(textOf("<p>a</p><p><br></p><p>b</p>"), "a\n\nb");
  assert.equal(textOf("<p>a</p><p><br></p><p><br></p><p>b</p>"), "a\n\n\nb");
  assert.equal(textOf("<p><br></p><p>b</p>"), "\nb");
  assert.equal(textOf("<p>a</p><p><br></p>"), "a\n");
  assert.equal(textOf("<p><br></p>"), "");
  assert.equal(textOf("<p><br></p><p><br></p>"), "\n");
  assert.equal(textOf("a<div><br></div><div>b</div>"), "a\n\nb"); // Chrome's plain contenteditable
  assert.equal(textOf("<p>a</p><p></p><p>b</p>"), "a\nb"); // an empty block has no line box
  assert.equal(textOf(""), "");
});

test("placeholder markup contributes nothing", () => {
  // ProseMirror/Tiptap and Quill keep the placeholder in an attribute rendered by CSS.
  assert.equal(textOf('<p data-placeholder="What is happening?" class="is-editor-empty"><br></p>'), "");
  assert.equal(textOf('<p>hi</p><p data-placeholder="Write more"></p>'), "hi");
  // Draft.js-style placeholder element, and aria-hidden decorations.
  assert.equal(textOf('<div class="public-DraftEditorPlaceholder-root">What is happening?!</div><p>real</p>'), "real");
  assert.equal(textOf('<p>a<span aria-hidden="true">hidden</span>b</p>'), "ab");
  assert.equal(textOf('<p>a<span hidden>x</span><span style="color: red; display: none">y</span>b</p>'), "ab");
  assert.equal(textOf("<p>a<script>var x</script><style>p{}</style>b</p>"), "ab");
});

test("contenteditable=false islands are skipped", () => {
  assert.equal(textOf('<p>hello <span contenteditable="false">@Mention</span> world</p>'), "hello  world");
  assert.equal(textOf('<p>a</p><div contenteditable="FALSE"><p>card</p></div><p>b</p>'), "a\nb");
  const root = editable('<p>hello <span contenteditable="false">@Mention</span> world</p>');
  const { map } = extractText(root);
  const inside = findText(root, "@Mention");
  assert.equal(textOffset(map, inside, 3), 6);
  assert.equal(textOffset(map, findElement(root, "span"), 0), 6);
});

test("extra skip predicate from opts", () => {
  const root = editable('<p>a<span class="chip">tag</span>b</p>');
  const { text } = extractText(root, { skip: (el) => el.getAttribute("class") === "chip" });
  assert.equal(text, "ab");
});

test("source-formatting whitespace between blocks is ignored, inline spaces kept", () => {
  assert.equal(textOf("<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>"), "a\nb");
  assert.equal(textOf("\n<p>a</p>\n<p>b</p>\n"), "a\nb");
  assert.equal(textOf("<p>a <b>b</b> c</p>"), "a b c");
  assert.equal(textOf("<p> </p>"), " ");
});

test("nested inline formatting keeps one word together and maps its range", () => {
  const root = editable("<p>gu<b>ar</b>anteed</p>");
  const { text, map } = extractText(root);
  assert.equal(text, "guaranteed");
  const gu = findText(root, "gu");
  const ar = findText(root, "ar");
  const anteed = findText(root, "anteed");
  assert.deepEqual(domRange(map, 0, 10), { startNode: gu, startOffset: 0, endNode: anteed, endOffset: 6 });
  assert.deepEqual(domRange(map, 2, 4), { startNode: ar, startOffset: 0, endNode: ar, endOffset: 2 });
  assert.deepEqual(domRange(map, 1, 5), { startNode: gu, startOffset: 1, endNode: anteed, endOffset: 1 });
  assert.deepEqual(domPosition(map, 2), { node: ar, offset: 0 });
  assert.deepEqual(domPosition(map, 2, "backward"), { node: gu, offset: 2 });
});

test("a word spanning formatting in the second paragraph", () => {
  const root = editable("<p>first</p><p>it is <i>gu</i><b><u>ar</u>an</b>teed now</p>");
  const { text, map } = extractText(root);
  assert.equal(text, "first\nit is guaranteed now");
  const start = text.indexOf("guaranteed");
  assert.equal(start, 12);
  assert.deepEqual(domRange(map, start, start + 10), {
    startNode: findText(root, "gu"),
    startOffset: 0,
    endNode: findText(root, "teed now"),
    endOffset: 4,
  });
});

test("NBSP becomes a space without shifting offsets", () => {
  const root = editable("<p>a&nbsp;b&nbsp;&nbsp;c</p>");
  const { text, map } = extractText(root);
  assert.equal(text, "a b  c");
  const node = textNodes(root)[0];
  assert.equal(node.data, "a\u00A0b\u00A0\u00A0c");
  assert.deepEqual(domPosition(map, 5), { node, offset: 5 });
  assert.equal(textareaText("a\u00A0b\u00A0"), "a b ");
  assert.equal(textareaText("plain\ttext\u200B"), "plain\ttext\u200B");
  assert.equal(textareaText(undefined), "");
});

test("zero-width characters are kept", () => {
  assert.equal(textOf("<p>k\u200Bi\u200Dl\uFEFFl</p>"), "k\u200Bi\u200Dl\uFEFFl");
});

test("emoji surrogate pairs are never split", () => {
  const root = editable("<p>a😀b</p>");
  const { text, map } = extractText(root);
  const node = textNodes(root)[0];
  assert.equal(text.length, 4);
  assert.deepEqual(domRange(map, 1, 2), { startNode: node, startOffset: 1, endNode: node, endOffset: 3 });
  assert.deepEqual(domRange(map, 2, 3), { startNode: node, startOffset: 1, endNode: node, endOffset: 3 });
  assert.deepEqual(domRange(map, 2, 4), { startNode: node, startOffset: 1, endNode: node, endOffset: 4 });
  assert.deepEqual(snapRange("hi 👍🏽 there", 4, 5), { start: 3, end: 7 }); // skin tone joins
});

test("ZWJ sequences and flags stay whole", () => {
  const family = "👨\u200D👩\u200D👧";
  assert.equal(family.length, 8);
  assert.deepEqual(snapRange(`x${family}y`, 3, 4), { start: 1, end: 9 });
  assert.deepEqual(snapRange(`x${family}y`, 5, 5), { start: 1, end: 9 });
  assert.deepEqual(snapRange(`x${family}y`, 9, 10), { start: 9, end: 10 });
  assert.deepEqual(snapRange("🇫🇷🇩🇪", 2, 6), { start: 0, end: 8 });
  assert.deepEqual(snapRange("🇫🇷🇩🇪", 4, 6), { start: 4, end: 8 });
  assert.deepEqual(snapRange("a\u200Db", 2, 3), { start: 2, end: 3 }); // ZWJ joins backwards only
  assert.deepEqual(snapRange("1\uFE0F\u20E3!", 0, 1), { start: 0, end: 3 }); // keycap
  assert.deepEqual(snapRange("a\r\nb", 2, 2), { start: 1, end: 3 });

  const root = editable(`<p>x<b>${family}</b>y</p>`);
  const { text, map } = extractText(root);
  assert.equal(text, `x${family}y`);
  const fam = findText(root, family);
  assert.deepEqual(domRange(map, 4, 6), { startNode: fam, startOffset: 0, endNode: fam, endOffset: 8 });
});

test("combining marks stay with their base", () => {
  const s = "cafe\u0301 ok";
  assert.deepEqual(snapRange(s, 3, 4), { start: 3, end: 5 });
  assert.deepEqual(snapRange(s, 4, 5), { start: 3, end: 5 });
  assert.deepEqual(snapRange("a\u0308\u0323b", 2, 3), { start: 0, end: 3 });
  const root = editable("<p>cafe\u0301 ok</p>");
  const { map } = extractText(root);
  const node = textNodes(root)[0];
  assert.deepEqual(domRange(map, 4, 5), { startNode: node, startOffset: 3, endNode: node, endOffset: 5 });
});

test("synthetic newlines map to element positions", () => {
  const root = editable("<p>a</p><p>b</p>");
  const { map } = extractText(root);
  const [p1, p2] = [findElement(root, "p", 0), findElement(root, "p", 1)];
  assert.deepEqual(domPosition(map, 1), { node: p1, offset: 1 });
  assert.deepEqual(domPosition(map, 2, "backward"), { node: p2, offset: 0 });
  assert.deepEqual(domRange(map, 1, 2), { startNode: p1, startOffset: 1, endNode: p2, endOffset: 0 });
  assert.deepEqual(domRange(map, 0, 3), {
    startNode: findText(root, "a"),
    startOffset: 0,
    endNode: findText(root, "b"),
    endOffset: 1,
  });

  const r2 = editable("one<br>two");
  const m2 = extractText(r2).map;
  assert.deepEqual(domRange(m2, 3, 4), { startNode: r2, startOffset: 1, endNode: r2, endOffset: 2 });

  const r3 = editable("<p>a</p><p><br></p><p>b</p>");
  const m3 = extractText(r3).map;
  const emptyP = findElement(r3, "p", 1);
  assert.deepEqual(domPosition(m3, 1), { node: findElement(r3, "p", 0), offset: 1 });
  assert.deepEqual(domPosition(m3, 2), { node: emptyP, offset: 0 }); // the empty line's br
  assert.deepEqual(domPosition(m3, 3, "backward"), { node: findElement(r3, "p", 2), offset: 0 });
});

test("empty root and offset checks", () => {
  const root = editable("");
  const { text, map } = extractText(root);
  assert.equal(text, "");
  assert.deepEqual(domPosition(map, 0), { node: root, offset: 0 });
  assert.deepEqual(domRange(map, 0, 0), { startNode: root, startOffset: 0, endNode: root, endOffset: 0 });
  const m2 = extractText(editable("<p>ab</p>")).map;
  assert.throws(() => domPosition(m2, 3), { name: "RangeError", message: "offset 3 is outside the text (0..2)" });
  assert.throws(() => domRange(m2, -1, 1), { name: "RangeError", message: "start -1 is outside the text (0..2)" });
  assert.throws(() => domPosition(m2, 1.5), { name: "RangeError" });
  const n = findText(m2.root, "ab");
  assert.deepEqual(domRange(m2, 2, 0), { startNode: n, startOffset: 0, endNode: n, endOffset: 2 });
});

test("a text node root and a plain-object tree work", () => {
  const t = text("solo\u00A0text");
  const { text: s, map } = extractText(t);
  assert.equal(s, "solo text");
  assert.deepEqual(domPosition(map, 4), { node: t, offset: 4 });

  const leaf = { nodeType: 3, nodeName: "#text", data: "hi", childNodes: [] };
  const p = { nodeType: 1, nodeName: "p", childNodes: [leaf] };
  const root = {
    nodeType: 1,
    nodeName: "DIV",
    childNodes: [p, { nodeType: 1, nodeName: "P", childNodes: [{ nodeType: 3, nodeValue: "yo", childNodes: [] }] }],
  };
  leaf.parentNode = p;
  p.parentNode = root;
  assert.equal(extractText(root).text, "hi\nyo");
});

const ROUND_TRIP_FIXTURES = [
  "<p>gu<b>ar</b>anteed</p>",
  "<p>one</p><p>two</p><p>three</p>",
  "one<br><br>two<br>",
  "<p>a</p><p><br></p><p><br></p><p>b<br></p><p>c</p>",
  "a<div><br></div><div>b</div>tail",
  "<ul>\n<li>x<i>y</i></li>\n<li><b><u>z</u></b></li>\n</ul><p>a&nbsp;b</p>",
  '<p>hello <span contenteditable="false">@Mention</span> world</p><p>😀 x\u200D👩 e\u0301</p>',
  "<blockquote><p>q</p></blockquote>t<p></p><h2>h</h2><!-- c --><p>e<span></span></p>",
];

test("round trips: every offset → DOM position → same offset", () => {
  for (const html of ROUND_TRIP_FIXTURES) {
    const { text, map } = extractText(editable(html));
    for (let o = 0; o <= text.length; o++) {
      for (const affinity of ["forward", "backward"]) {
        const pos = domPosition(map, o, affinity);
        assert.equal(textOffset(map, pos.node, pos.offset), o, `${JSON.stringify(html)} @${o} ${affinity}`);
      }
    }
  }
});

test("round trips: every text-node position → offset → the same character", () => {
  for (const html of ROUND_TRIP_FIXTURES) {
    const root = editable(html);
    const { text, map } = extractText(root);
    for (const seg of map.segments) {
      if (seg.kind !== "text") continue;
      for (let k = 0; k < seg.node.data.length; k++) {
        const o = textOffset(map, seg.node, k);
        assert.equal(o, seg.start + k);
        assert.equal(text[o], seg.node.data[k].replace("\u00A0", " "));
        assert.deepEqual(domPosition(map, o), { node: seg.node, offset: k });
      }
    }
    // The segments tile the text exactly.
    assert.equal(
      map.segments.map((s) => s.end - s.start).reduce((a, b) => a + b, 0),
      text.length,
    );
    for (let i = 1; i < map.segments.length; i++) assert.equal(map.segments[i].start, map.segments[i - 1].end);
  }
});

test("positions between lines and outside the root", () => {
  const root = editable("<p>a</p><p>b</p>");
  const { map } = extractText(root);
  assert.equal(textOffset(map, root, 0), 0);
  assert.equal(textOffset(map, root, 1), 2); // between the blocks: the next line's start
  assert.equal(textOffset(map, root, 2), 3);
  assert.equal(textOffset(map, findElement(root, "p", 0), 1), 1);
  assert.equal(textOffset(map, findText(root, "b"), 99), 3);
  assert.equal(textOffset(map, h("p", null, "elsewhere"), 0), null);
});

test("large documents: linear build, correct lookups", () => {
  const root = h("div", { contenteditable: "true" });
  for (let i = 0; i < 20000; i++) root.appendChild(h("p", null, `line ${i} `, h("b", null, "bold")));
  const { text, map } = extractText(root);
  const lines = text.split("\n");
  assert.equal(lines.length, 20000);
  assert.equal(lines[12345], "line 12345 bold");
  const at = text.indexOf("line 19999 bold");
  const p = findElement(root, "p", 19999);
  assert.deepEqual(domRange(map, at, at + 15), {
    startNode: p.childNodes[0],
    startOffset: 0,
    endNode: p.childNodes[1].childNodes[0],
    endOffset: 4,
  });
});
