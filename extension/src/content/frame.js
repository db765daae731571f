// Runs in every frame (manifest: all_frames), but only acts inside frames: when the user
// goes into a text box there, it reports it (frame-report.js), and the worker decides from
// the sender whether the frame is another site's, which draftguard does not check, so the
// tab's toolbar badge can say so. Classic script (content scripts cannot be modules);
// nothing is loaded until a text box in a frame gets the focus.
(() => {
  if (window === window.top) return;
  const editable = (/** @type {unknown} */ el) =>
    el instanceof HTMLTextAreaElement ||
    (el instanceof HTMLInputElement && ["text", "search", "email", "url", ""].includes(el.type)) ||
    (el instanceof HTMLElement && el.isContentEditable);
  document.addEventListener(
    "focusin",
    (e) => {
      if (!editable(e.composedPath()[0])) return;
      import(chrome.runtime.getURL("src/content/frame-report.js"))
        .then((m) => m.report())
        .catch(() => {
          // The extension was updated or removed meanwhile: nothing to report to.
        });
    },
    true,
  );
})();
