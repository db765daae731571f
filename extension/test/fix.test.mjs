// Applying a fix (src/content/fix.js) against fake editors: the route taken, the exact
// text after it, and rollback or decline when the editor does not do what was asked.

import assert from "node:assert/strict";
import { test } from "node:test";
import { applyWith, SETTLE_MS } from "../src/content/fix.js";

/**
 * A fake composer: its text, a selection, one undo/redo history (the browser's or the
 * editor's own, whichever `onBeforeInput` uses), a fake clock, and a log of the operations
 * fix.js asked for. `onBeforeInput(editor, inputType, data)` is how this editor treats a
 * `beforeinput` event; it returns true if it cancelled the event.
 */
class FakeEditor {
  constructor(text, onBeforeInput = () => false, { execWorks = true } = {}) {
    this.text = text;
    this.sel = [0, 0];
    this.undos = [];
    this.redos = [];
    this.now = 0;
    this.timers = [];
    this.log = [];
    this.onBeforeInput = onBeforeInput;
    this.execWorks = execWorks;
  }

  /** Replaces the selection with `s`, as one undo step unless `record` is false. */
  insert(s, { record = true } = {}) {
    if (record) {
      this.undos.push(this.text);
      this.redos = [];
    }
    const [a, b] = this.sel;
    this.text = this.text.slice(0, a) + s + this.text.slice(b);
    this.sel = [a + s.length, a + s.length];
  }

  step(dir) {
    const [from, to] = dir === "undo" ? [this.undos, this.redos] : [this.redos, this.undos];
    if (from.length) {
      to.push(this.text);
      this.text = from.pop();
    }
  }

  later(ms, fn) {
    this.timers.push({ at: this.now + ms, fn });
  }

  async advance(ms) {
    this.now += ms;
    for (const t of this.timers.filter((t) => t.at <= this.now)) {
      this.timers.splice(this.timers.indexOf(t), 1);
      t.fn();
    }
  }

  ops(start, end) {
    return {
      select: () => {
        this.log.push("select");
        this.sel = [start, end];
      },
      dispatch: (type, data) => {
        this.log.push(`beforeinput ${type}`);
        return this.onBeforeInput(this, type, data) === true;
      },
      exec: (command, value) => {
        this.log.push(`exec ${command}`);
        if (!this.execWorks) return false;
        if (command === "insertText") this.insert(value);
        else this.step(command);
        return true;
      },
      read: () => this.text,
      wait: (ms) => this.advance(ms),
    };
  }
}

const DRAFT = "Call me at (212) 555-0187, thanks";
const SPAN = [11, 25];
const FIX = "1-800-555-0100";
const FIXED = "Call me at 1-800-555-0100, thanks";
const job = (rich = true) => ({ before: DRAFT, expected: FIXED, replacement: FIX, rich });
const run = (ed, rich) => applyWith(ed.ops(...SPAN), job(rich));

// Editor behaviours, each named after the kind of editor it stands for.
/** Models input from beforeinput and keeps its own history (Lexical, Quill). */
const modelEditor = (ed, type, data) => {
  if (type === "insertReplacementText") {
    ed.insert(data);
    return true;
  }
  if (type === "historyUndo" || type === "historyRedo") {
    ed.step(type === "historyUndo" ? "undo" : "redo");
    return true;
  }
  return false;
};
/** Takes the event and applies it `ms` later (an editor that renders through a framework). */
const laterEditor = (ms) => (ed, type, data) => {
  if (type !== "insertReplacementText") return false;
  ed.later(ms, () => ed.insert(data));
  return true;
};

test("an editor that models beforeinput applies the fix itself; no command runs", async () => {
  const ed = new FakeEditor(DRAFT, modelEditor);
  assert.deepEqual(await run(ed), { path: "beforeinput", outcome: "applied", text: FIXED });
  assert.deepEqual(ed.log, ["select", "beforeinput insertReplacementText"]);
  ed.step("undo");
  assert.equal(ed.text, DRAFT, "one undo step restores the draft");
});

test("nobody takes the event and nothing changed: execCommand on the same selection", async () => {
  const ed = new FakeEditor(DRAFT); // no beforeinput handling (ProseMirror, Draft.js, or untrusted events ignored)
  assert.deepEqual(await run(ed), { path: "execCommand", outcome: "applied", text: FIXED });
  assert.deepEqual(ed.log, ["select", "beforeinput insertReplacementText", "exec insertText"]);
  ed.step("undo");
  assert.equal(ed.text, DRAFT);
});

test("a textarea goes straight to execCommand, without a beforeinput", async () => {
  const ed = new FakeEditor(DRAFT, modelEditor);
  assert.deepEqual(await run(ed, false), { path: "execCommand", outcome: "applied", text: FIXED });
  assert.deepEqual(ed.log, ["select", "exec insertText"]);
});

test("an editor that renders later is waited for, and nothing is stacked on top", async () => {
  const ed = new FakeEditor(DRAFT, laterEditor(40));
  assert.deepEqual(await run(ed), { path: "beforeinput", outcome: "applied", text: FIXED });
  assert.ok(!ed.log.includes("exec insertText"));
  await ed.advance(10 * SETTLE_MS);
  assert.equal(ed.text, FIXED, "still exactly one replacement");
});

test("an editor that takes the event and does nothing has declined: no second edit", async () => {
  const ed = new FakeEditor(DRAFT, (_ed, type) => type === "insertReplacementText");
  assert.deepEqual(await run(ed), { path: "beforeinput", outcome: "declined", text: DRAFT });
  assert.deepEqual(ed.log, ["select", "beforeinput insertReplacementText"]);
  assert.ok(ed.now >= SETTLE_MS, "it was given the settle time");
});

test("an editor slower than the settle time is reported as declined, and its late edit is not doubled", async () => {
  const ed = new FakeEditor(DRAFT, laterEditor(SETTLE_MS + 100));
  assert.equal((await run(ed)).outcome, "declined");
  await ed.advance(SETTLE_MS);
  assert.equal(ed.text, FIXED);
});

test("a wrong edit is undone through the browser when the editor has no history of its own", async () => {
  // Cancels, then inserts the text twice as one native undo step.
  const doubles = (ed, type, data) => {
    if (type !== "insertReplacementText") return false;
    ed.insert(data + data);
    return true;
  };
  const ed = new FakeEditor(DRAFT, doubles);
  assert.deepEqual(await run(ed), { path: "beforeinput", outcome: "rolled-back", text: DRAFT });
  assert.deepEqual(ed.log, ["select", "beforeinput insertReplacementText", "beforeinput historyUndo", "exec undo"]);
});

test("a wrong edit is undone through the editor's own history when it takes historyUndo", async () => {
  const partial = (ed, type, data) => {
    if (type === "insertReplacementText") {
      ed.sel = [ed.sel[0], ed.sel[0]];
      ed.insert(data);
      return true;
    } // inserts, deletes nothing
    return modelEditor(ed, type, data);
  };
  const ed = new FakeEditor(DRAFT, partial);
  assert.deepEqual(await run(ed), { path: "beforeinput", outcome: "rolled-back", text: DRAFT });
  assert.ok(!ed.log.includes("exec undo"), "the editor took the undo; the browser's was not run as well");
});

test("an undo that takes back something else is redone, so the user's typing is not lost", async () => {
  // The user's typing is on the undo stack; the wrong edit is not.
  const ed = new FakeEditor("Call me at ", () => false);
  ed.sel = [11, 11];
  ed.insert("(212) 555-0187, thanks");
  assert.equal(ed.text, DRAFT);
  ed.onBeforeInput = (e, type) => {
    if (type !== "insertReplacementText") return false;
    e.text = "Call me at ?, thanks";
    return true;
  };
  const result = await run(ed);
  assert.equal(result.outcome, "mismatch");
  assert.equal(result.text, "Call me at ?, thanks");
  assert.equal(ed.text, "Call me at ?, thanks", 'the draft is as the editor left it, not cut back to "Call me at "');
  assert.deepEqual(ed.log.slice(-4), ["beforeinput historyUndo", "exec undo", "beforeinput historyRedo", "exec redo"]);
});

test("a listener that changes the text without cancelling is not followed by execCommand", async () => {
  const uncancelled = (ed, type, data) => {
    if (type === "insertReplacementText") ed.insert(data);
    return false;
  };
  const ed = new FakeEditor(DRAFT, uncancelled);
  assert.deepEqual(await run(ed), { path: "beforeinput", outcome: "applied", text: FIXED });
  assert.ok(!ed.log.includes("exec insertText"));
});

test("execCommand that does nothing is reported as declined", async () => {
  const ed = new FakeEditor(DRAFT, () => false, { execWorks: false });
  assert.deepEqual(await run(ed), { path: "execCommand", outcome: "declined", text: DRAFT });
});

test("deleting a span and inserting at an empty span take the same route", async () => {
  const del = new FakeEditor(DRAFT, modelEditor);
  const gone = "Call me at , thanks";
  assert.deepEqual(await applyWith(del.ops(...SPAN), { before: DRAFT, expected: gone, replacement: "", rich: true }), {
    path: "beforeinput",
    outcome: "applied",
    text: gone,
  });
  const add = new FakeEditor(DRAFT);
  const added = `${DRAFT} Views are my own.`;
  assert.deepEqual(
    await applyWith(add.ops(DRAFT.length, DRAFT.length), {
      before: DRAFT,
      expected: added,
      replacement: " Views are my own.",
      rich: true,
    }),
    { path: "execCommand", outcome: "applied", text: added },
  );
});
