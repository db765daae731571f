// Content scripts cannot be ES modules; this classic script loads the module graph.
(async () => {
  try {
    const { start } = await import(chrome.runtime.getURL("src/content/main.js"));
    start();
  } catch (err) {
    console.warn("draftguard: content script failed to start", err);
  }
})();
