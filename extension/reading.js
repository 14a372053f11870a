/* Sourcelight overlay: reading comfort and moving around. Text size, column width and line
 * spacing (kept in extension storage, key "reading"), and single keys: b / a / s for the bar,
 * the article and the sources panel, j / k for the next and previous mark, e to correct, u for
 * uncertain marks, ? for the help. Keys never act while the reader types in a field.
 */
(function (root) {
  "use strict";

  // Each control: the steps a reader moves through, the default's index, the CSS variable.
  const STEPS = Object.freeze({
    size: { values: [15, 16, 17, 19, 21, 23, 26, 29], start: 3, css: "--reading-size", unit: "px", label: (v) => `${v}px` },
    width: { values: [30, 34, 38, 42, 48, 56, 64], start: 3, css: "--reading-width", unit: "rem", label: (v) => `${v} em` },
    line: { values: [1.3, 1.45, 1.65, 1.85, 2.1], start: 2, css: "--reading-line", unit: "", label: (v) => `${v}×` },
  });

  function create({ $, storage, editor, toggleUncertain, closeOverlay }) {
    const state = Object.fromEntries(Object.entries(STEPS).map(([k, s]) => [k, s.start]));

    function apply(stored) {
      if (stored && typeof stored === "object") {
        for (const [key, step] of Object.entries(STEPS)) {
          const i = Number(stored[key]);
          if (Number.isInteger(i) && i >= 0 && i < step.values.length) state[key] = i;
        }
      }
      for (const [key, step] of Object.entries(STEPS)) {
        const value = step.values[state[key]];
        document.documentElement.style.setProperty(step.css, `${value}${step.unit}`);
        $(`sl-${key}-value`).textContent = step.label(value);
        const [down, up] = document.querySelectorAll(`[data-reading="${key}"]`);
        down.disabled = state[key] === 0;
        up.disabled = state[key] === step.values.length - 1;
      }
    }

    function change(key, delta) {
      const step = STEPS[key];
      state[key] = Math.max(0, Math.min(step.values.length - 1, state[key] + delta));
      apply();
      storage.set({ reading: { ...state } }).catch(() => {});
    }

    for (const control of document.querySelectorAll("[data-reading]")) {
      control.addEventListener("click", () => change(control.dataset.reading, Number(control.dataset.step)));
    }
    $("sl-reading-reset").addEventListener("click", () => {
      for (const [key, step] of Object.entries(STEPS)) state[key] = step.start;
      apply();
      storage.set({ reading: { ...state } }).catch(() => {});
    });

    // ------------------------------------------------------------ popovers (reading, help)
    const popovers = [["sl-reading-button", "sl-reading"], ["sl-help-button", "sl-help"]];
    for (const [buttonId, boxId] of popovers) {
      $(buttonId).addEventListener("click", () => togglePopover(buttonId, boxId));
    }

    function togglePopover(buttonId, boxId, force) {
      const box = $(boxId);
      const open = force === undefined ? box.hidden : force;
      for (const [b, p] of popovers) {
        $(p).hidden = true;
        $(b).setAttribute("aria-expanded", "false");
      }
      box.hidden = !open;
      $(buttonId).setAttribute("aria-expanded", String(open));
      if (open) {
        const first = box.querySelector("button:not([disabled])");
        (first || box).focus();
      }
    }

    /** Close whatever box is open; true when one was (Esc then stops there). */
    function closePopovers() {
      if (editor.close()) return true;
      for (const [b, p] of popovers) {
        if (!$(p).hidden) {
          $(p).hidden = true;
          $(b).setAttribute("aria-expanded", "false");
          $(b).focus();
          return true;
        }
      }
      return false;
    }

    // ------------------------------------------------------------ keys
    function typing(target) {
      return target && (target.localName === "input" || target.localName === "select" ||
        target.localName === "textarea" || target.isContentEditable);
    }

    function marks() {
      return [...document.querySelectorAll("#sl-body mark[tabindex='0']:not(.off)")];
    }

    let lastMark = null;

    /** Move to the next (+1) or previous (-1) mark from the focused one, or the first. */
    function stepMark(direction) {
      const all = marks();
      if (!all.length) return;
      const here = document.activeElement && document.activeElement.closest ? document.activeElement.closest("mark[data-attr]") : null;
      const at = all.indexOf(here || lastMark);
      const next = at === -1 ? (direction > 0 ? 0 : all.length - 1) : (at + direction + all.length) % all.length;
      all[next].focus();
      all[next].scrollIntoView({ block: "center", behavior: "instant" });
    }

    document.addEventListener("focusin", (event) => {
      const mark = event.target.closest && event.target.closest("#sl-body mark[data-attr]");
      if (mark) lastMark = mark;
    });

    const KEYS = {
      b: () => $("sl-reading-button").focus(),
      a: () => {
        if (lastMark && lastMark.isConnected && lastMark.tabIndex === 0) lastMark.focus();
        else $("sl-title").focus();
      },
      s: () => {
        const first = document.querySelector(".source-button");
        (first || $("sl-sources-heading")).focus();
      },
      j: () => stepMark(1),
      n: () => stepMark(1),
      k: () => stepMark(-1),
      p: () => stepMark(-1),
      u: () => toggleUncertain(),
      e: () => {
        if (editor.openSelection()) return;
        const focused = document.activeElement;
        if (focused && focused.classList && focused.classList.contains("source-button")) {
          editor.openCard(focused.dataset.entity, focused);
        }
      },
      "?": () => togglePopover("sl-help-button", "sl-help"),
    };

    function onKey(event) {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      const action = KEYS[event.key];
      if (!action || document.body.dataset.state !== "done") return;
      event.preventDefault();
      action();
    }

    apply();
    return { apply, onKey, closePopovers, close: closeOverlay };
  }

  root.SLReading = Object.freeze({ create, STEPS });
})(globalThis);
