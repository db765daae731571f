// End to end, for every fixture editor on 127.0.0.1 (plain textarea and contenteditable,
// and composers built from the real editor libraries): the flows of flows.mjs.

import { defineFlows } from "./flows.mjs";
import { shadowQuery, useBrowser } from "./harness.mjs";

const env = useBrowser();

/** Collapses the selection at text offset `i` inside the contenteditable `root`. */
const caretIn = (page, root, i) =>
  page.$eval(
    root,
    (e, i) => {
      e.focus();
      const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
      let at = i;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (at <= n.data.length) {
          getSelection().collapse(n, at);
          return;
        }
        at -= n.data.length;
      }
    },
    i,
  );

// `root` is the composer (where data-draftguard-fix reports the route a fix took) and
// `fixPath` the route each editor is expected to take: `beforeinput` for editors that
// model insertReplacementText themselves, `execCommand` for the rest (fix.js).

/** What every fixture editor page shares: #editor is clicked, #post posts, Ctrl+Enter too. */
const local = (page, root) => ({
  open: async (p) => {
    await p.goto(`${env.srv.base}/${page}`);
    await p.click("#editor");
  },
  post: (p) => p.click("#post"),
  submitKey: "Control+Enter",
  dataset: (p) => p.$eval(root, (e) => ({ ...e.dataset })),
});

const FIXTURES = {
  textarea: {
    ...local("textarea.html", "#editor"),
    fixPath: "execCommand",
    text: (p) => p.$eval("#editor", (e) => e.value),
    underlined: (p) =>
      shadowQuery(p, (n) => n.name === "span" && n.attrs["data-rule"]).then((ns) => ns.map((n) => n.text)),
    caretAt: (p, i) =>
      p.$eval(
        "#editor",
        (e, i) => {
          e.focus();
          e.setSelectionRange(i, i);
        },
        i,
      ),
  },
  contenteditable: {
    ...local("contenteditable.html", "#editor"),
    fixPath: "execCommand",
    text: (p) => p.$eval("#editor", (e) => e.innerText),
    underlined: (p) =>
      p.evaluate(() =>
        ["block", "warn", "info"].flatMap((s) =>
          [...(CSS.highlights.get(`draftguard-${s}`) ?? [])].map((r) => r.toString()),
        ),
      ),
    caretAt: (p, i) => caretIn(p, "#editor", i),
  },
};

// Composers built from the real editor libraries (fixtures/src/*.js, bundled by
// build-fixtures.mjs). `text` is the editor's own model text, as the page posts it;
// `underlined` is the CSS.highlights reading; `caretAt` collapses the DOM selection at a
// text offset inside the editor's contenteditable root. `todo` (by flow name) marks a
// flow that is known to fail, with the reason, so a gap stays visible; none today.
const editorFixture = (page, root, fixPath, todo = {}) => ({
  ...local(page, root),
  fixPath,
  text: (p) => p.evaluate(() => window.fixture.text()),
  underlined: FIXTURES.contenteditable.underlined,
  caretAt: (p, i) => caretIn(p, root, i),
  todo,
});
FIXTURES.lexical = editorFixture("lexical.html", "#editor", "beforeinput");
FIXTURES.draftjs = editorFixture("draftjs.html", "#editor [contenteditable]", "execCommand");
FIXTURES.prosemirror = editorFixture("prosemirror.html", "#editor", "execCommand");
FIXTURES.quill = editorFixture("quill.html", "#editor .ql-editor", "beforeinput");

defineFlows(env, FIXTURES);
