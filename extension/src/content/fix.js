// Replaces one span of a composer's text the way its editor expects, verifies the result,
// and reports which route did it. Editors keep their own model and undo history, so the
// edit must arrive as input they recognise rather than as DOM surgery:
//
// - textarea/input: select the span and `execCommand('insertText')`, the browser's own
//   editing, which keeps the native undo stack.
// - contenteditable: select the span and dispatch a cancelable `beforeinput` of type
//   `insertReplacementText` (the event a spell-checker replacement fires), with the text in
//   `data` and in a `text/plain` DataTransfer and the span as its target range. Editors that
//   model input from `beforeinput` (Lexical and Quill among the tested ones) take it,
//   cancel it and apply it through their model. If nobody cancelled it and nothing changed (an editor
//   that does not listen to `beforeinput`, or ignores untrusted events), the same selection
//   goes through `execCommand('insertText')`, which editors see as ordinary typing.
//
// An editor that cancelled the event owns it: it may render a frame later, or decline, so
// there is no second edit on top of it. Whatever route ran, the text is read back. An edit
// that produced neither the expected text nor the original is taken back with one step of
// the editor's own undo (and put back if that undo did not restore the original, so that
// nothing the user wrote is lost).
//
// The decision logic (`applyWith`) works on a small set of operations, so it is tested
// with a fake editor in Node; `applyReplacement` runs it with the real ones (`domOps`).

import { selectionFor } from "./dom.js";
import { domRange } from "./textmap.js";

/** How long an editor that cancelled the event may take to show the result: editors that
 * render through a framework (React, Vue) update the DOM a frame or two later. */
export const SETTLE_MS = 250;
const POLL_MS = 16;
/** How long a rich editor is given to see the selection of the span before the edit. */
const SELECTION_MS = 32;

/**
 * The operations a fix is made of, on one composer and one span.
 * @typedef {object} Ops
 * @property {() => void} select  selects the span
 * @property {(inputType: string, data?: string) => boolean} dispatch  fires a cancelable
 *   `beforeinput`; true when a listener cancelled it
 * @property {(command: string, value?: string) => boolean} exec  `document.execCommand`
 * @property {() => string} read  the composer's text now
 * @property {(ms: number) => Promise<void>} wait
 */
/** @typedef {{ before: string, expected: string, replacement: string, rich: boolean }} Job */
/**
 * @typedef {{ path: "beforeinput" | "execCommand", outcome: "applied" | "declined" | "rolled-back" | "mismatch", text: string }} FixResult
 */

/**
 * Applies the replacement and reports what happened.
 * @param {Ops} ops
 * @param {Job} job  `rich` is true for a contenteditable composer, false for a textarea or input.
 * @returns {Promise<FixResult>}
 *   `applied`: the text is exactly `expected`. `declined`: the editor left the text as it
 *   was. `rolled-back`: it made a wrong edit, which undo took back. `mismatch`: a wrong edit
 *   that undo could not take back; the composer holds `text`.
 */
export async function applyWith(ops, job) {
  ops.select();
  // Editors that follow the DOM selection through `selectionchange` (Draft.js: React's
  // onSelect) learn of the span's selection only once that event has fired, which Firefox
  // does after the current task; an edit before then lands at the caret they last saw.
  if (job.rich) await ops.wait(SELECTION_MS);
  if (job.rich) {
    const cancelled = ops.dispatch("insertReplacementText", job.replacement);
    if (cancelled || ops.read() !== job.before) {
      return finish(ops, "beforeinput", await settle(ops, job.expected), job);
    }
  }
  ops.exec("insertText", job.replacement);
  return finish(ops, "execCommand", await settle(ops, job.expected), job);
}

/**
 * Judges the text after an edit; takes a wrong edit back through the editor's undo.
 * @param {Ops} ops
 * @param {FixResult["path"]} path
 * @param {string} text
 * @param {Job} job
 * @returns {Promise<FixResult>}
 */
async function finish(ops, path, text, { before, expected }) {
  if (text === expected) return { path, outcome: "applied", text };
  if (text === before) return { path, outcome: "declined", text };
  // Something else happened (a duplicated insert, a partial replacement). A second edit on
  // top of an unknown state could duplicate or lose text; one undo step is the editor's
  // own way back to the draft that was checked.
  const wrong = text;
  historyStep(ops, "Undo", wrong);
  const back = await settle(ops, before);
  if (back === before) return { path, outcome: "rolled-back", text: back };
  // The undo took something else (the editor had no undo entry for the wrong edit, so it
  // undid the user's earlier typing): redo it, to leave the draft as the editor made it.
  if (back !== wrong) {
    historyStep(ops, "Redo", back);
    return { path, outcome: "mismatch", text: await settle(ops, wrong) };
  }
  return { path, outcome: "mismatch", text: back };
}

/**
 * One undo or redo step the way the editor expects: editors that keep their own history
 * take `beforeinput` historyUndo/historyRedo (Lexical, ProseMirror, Quill); otherwise the
 * browser's own stack. The command runs only if nobody took the event and nothing changed,
 * so a step is never taken twice.
 * @param {Ops} ops
 * @param {"Undo" | "Redo"} dir
 * @param {string} current
 */
function historyStep(ops, dir, current) {
  const cancelled = ops.dispatch(`history${dir}`);
  if (!cancelled && ops.read() === current) ops.exec(dir.toLowerCase());
}

/**
 * Reads the text until it is `target` or SETTLE_MS has passed; returns the last reading.
 * @param {Ops} ops
 * @param {string} target
 */
async function settle(ops, target) {
  let text = ops.read();
  for (let waited = 0; text !== target && waited < SETTLE_MS; waited += POLL_MS) {
    await ops.wait(POLL_MS);
    text = ops.read();
  }
  return text;
}

/**
 * @param {unknown} el
 * @returns {el is HTMLTextAreaElement | HTMLInputElement}
 */
const isTextField = (el) => el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement;

/**
 * Replaces start..end of the checked text `snap` (`{ text, map }` from textmap.js, `map`
 * null for a textarea) in composer `el` with `replacement`. `read()` returns the
 * composer's current text in the same form. Resolves to what `applyWith` reports.
 * @param {HTMLElement} el
 * @param {{ text: string, map: import("./textmap.js").TextMap | null }} snap
 * @param {import("../shared/protocol.js").Suggestion} suggestion
 * @param {() => string} read
 */
export function applyReplacement(el, snap, { start, end, replacement }, read) {
  const expected = snap.text.slice(0, start) + replacement + snap.text.slice(end);
  const job = { before: snap.text, expected, replacement, rich: !isTextField(el) };
  return applyWith(domOps(el, snap.map, start, end, read), job);
}

/**
 * A DataTransfer carrying `text` that the page can read. Firefox hides data that an
 * extension's content script sets on a DataTransfer from the page (it is stored with the
 * content script's principal, and the page reads ""), so there it is made and filled
 * through the page's own window (`wrappedJSObject`, Firefox content scripts only).
 * @param {string} text
 * @returns {DataTransfer}
 */
function pageDataTransfer(text) {
  const page = /** @type {any} */ (globalThis).wrappedJSObject;
  const dataTransfer = page?.DataTransfer ? new page.DataTransfer() : new DataTransfer();
  dataTransfer.setData("text/plain", text);
  return dataTransfer;
}

/**
 * The real operations on composer `el` for the span start..end (mapped by `map`).
 * @param {HTMLElement} el
 * @param {import("./textmap.js").TextMap | null} map
 * @param {number} start
 * @param {number} end
 * @param {() => string} read
 * @returns {Ops}
 */
function domOps(el, map, start, end, read) {
  /** @type {StaticRange | null} */
  let target = null;
  return {
    read,
    select() {
      el.focus();
      if (isTextField(el)) {
        el.setSelectionRange(start, end);
        return;
      }
      const r = domRange(/** @type {import("./textmap.js").TextMap} */ (map), start, end);
      const range = document.createRange();
      range.setStart(r.startNode, r.startOffset);
      range.setEnd(r.endNode, r.endOffset);
      const sel = selectionFor(el);
      sel?.removeAllRanges();
      sel?.addRange(range);
      target = new StaticRange({
        startContainer: r.startNode,
        startOffset: r.startOffset,
        endContainer: r.endNode,
        endOffset: r.endOffset,
      });
    },
    dispatch(inputType, data) {
      /** @type {InputEventInit} */
      const init = { inputType, bubbles: true, cancelable: true, composed: true };
      if (data !== undefined) {
        // A browser's own replacement carries the text in dataTransfer (data is null), but
        // editors differ in what they read first (Quill data, Lexical dataTransfer): both
        // carry the same text, so either reading is right.
        Object.assign(init, { data, dataTransfer: pageDataTransfer(data), targetRanges: target ? [target] : [] });
      }
      const event = new InputEvent("beforeinput", init);
      el.dispatchEvent(event);
      return event.defaultPrevented;
    },
    exec: (command, value) => document.execCommand(command, false, value),
    wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
