// The small button beside a composer's badge that opens the approved posts (ui/library-card.js).
// It lives in a closed shadow root on <body>, positioned over the composer's bottom
// right corner left of the badge (never inside the editor), and is a real <button>, so
// it is reachable with the keyboard. It shows only while there are posts to offer.

const STYLE =
  "position:absolute;font:600 11px/16px system-ui,sans-serif;color:#fff;background:#1b7f3b;border:0;border-radius:8px;padding:0 6px;min-width:16px;white-space:nowrap;cursor:pointer;box-shadow:0 1px 3px rgba(0,0,0,.3);";

export class LibraryButton {
  /**
   * @param {HTMLElement} target  the composer
   * @param {() => void} onOpen
   */
  constructor(target, onOpen) {
    this.target = target;
    this.host = document.createElement("draftguard-library");
    this.host.style.cssText = "position:absolute;top:0;left:0;z-index:2147483646;";
    this.host.hidden = true;
    const shadow = this.host.attachShadow({ mode: "closed" });
    this.button = document.createElement("button");
    this.button.type = "button";
    this.button.className = "library-button";
    this.button.textContent = "✓ Posts";
    this.button.style.cssText = STYLE;
    // The composer keeps its focus and caret: the post goes where the employee was typing.
    this.button.addEventListener("mousedown", (e) => e.preventDefault());
    this.button.addEventListener("click", () => onOpen());
    shadow.append(this.button);
    document.body.append(this.host);
    this.sync = () => this.position();
    window.addEventListener("resize", this.sync);
    window.addEventListener("scroll", this.sync, true);
    this.resizeObserver = new ResizeObserver(this.sync);
    this.resizeObserver.observe(target);
  }

  position() {
    const r = this.target.getBoundingClientRect();
    this.button.style.left = `${r.right + scrollX - 34 - this.button.offsetWidth}px`;
    this.button.style.top = `${r.bottom + scrollY - 20}px`;
  }

  /** Shows the button when there are `count` posts to offer (hidden for none). @param {number} count */
  show(count) {
    this.host.hidden = count === 0;
    const label = `Approved posts (${count})`;
    this.button.setAttribute("aria-label", label);
    this.button.title = label;
    this.position();
  }

  destroy() {
    window.removeEventListener("resize", this.sync);
    window.removeEventListener("scroll", this.sync, true);
    this.resizeObserver.disconnect();
    this.host.remove();
  }
}
