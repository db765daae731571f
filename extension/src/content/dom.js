// The DOM as it is on real sites: composers inside open shadow roots (Reddit's web
// components). Events that cross a shadow boundary are retargeted to the shadow host, so
// `event.target`, `document.activeElement` and `document.getSelection()` name the host,
// not the editor the user is in; these helpers read through open shadow roots.

/**
 * The node the event really happened on: the first of its composed path (inside open
 * shadow roots), not the retargeted `event.target`.
 * @param {Event} e
 * @returns {EventTarget | null}
 */
export function eventTarget(e) {
  return e.composedPath?.()[0] ?? e.target;
}

/**
 * The focused element, inside open shadow roots.
 * @param {Document | ShadowRoot} [root]
 * @returns {Element | null}
 */
export function deepActiveElement(root = document) {
  let el = root.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el;
}

/**
 * The selection that can name nodes inside `el`: Chromium gives an open shadow root a
 * selection of its own (`shadowRoot.getSelection()`; the document's is retargeted to the
 * host), Firefox's document selection reaches into shadow trees.
 * @param {Node} el
 * @returns {Selection | null}
 */
export function selectionFor(el) {
  const root = /** @type {ShadowRoot & { getSelection?: () => Selection | null }} */ (el.getRootNode());
  if (root instanceof ShadowRoot && typeof root.getSelection === "function") return root.getSelection();
  return document.getSelection();
}
