/* Sourcelight overlay: the correction box. A reader can hide a wrong mark, give it another
 * source (a card, or a typed name), rename a source, change its category, merge two cards,
 * split one, and attribute a selected passage the service missed. Each action hands a new
 * corrections record to `commit` (the overlay keeps it per page and renders again); the box
 * itself is built with textContent only.
 */
(function (root) {
  "use strict";

  const present = root.SLPresent;
  const C = root.SLCorrections;
  const A = root.SLAnchor;
  const SNIPPET_CHARS = 90;
  const SELECTION_SETTLE_MS = 120;

  function create({ $, getView, getText, commit }) {
    const box = $("sl-editor");
    const selectButton = $("sl-attribute-selection");
    let opener = null;
    let pendingSpan = null;

    // ---------------------------------------------------------------- building blocks
    function el(tag, props, ...children) {
      const node = document.createElement(tag);
      for (const [key, value] of Object.entries(props || {})) {
        if (key === "text") node.textContent = value;
        else if (key === "dataset") Object.assign(node.dataset, value);
        else if (key in node && typeof value !== "string") node[key] = value;
        else node.setAttribute(key, value);
      }
      node.append(...children.filter(Boolean));
      return node;
    }

    function snippet(text) {
      const t = String(text || "").replace(/\s+/g, " ").trim();
      return t.length > SNIPPET_CHARS ? `${t.slice(0, SNIPPET_CHARS - 1)}…` : t;
    }

    function button(label, action, extra) {
      return el("button", { type: "button", text: label, dataset: { action }, ...(extra || {}) });
    }

    function categorySelect(id, value) {
      const select = el("select", { id });
      for (const key of present.CATEGORY_ORDER) {
        select.append(el("option", { value: key, text: present.CATEGORIES[key].label }));
      }
      select.value = present.categoryKey(value || "person");
      return select;
    }

    /** A name field that offers the cards' names; a typed name that is a card's picks it. */
    function nameField(id, label) {
      const list = el("datalist", { id: `${id}-names` });
      for (const s of getView().sources) list.append(el("option", { value: s.name }));
      const input = el("input", { id, type: "text", maxLength: 200, autocomplete: "off" });
      input.setAttribute("list", `${id}-names`);
      return [el("label", { for: id, text: label }), input, list];
    }

    function targetFor(name, category) {
      const wanted = name.replace(/\s+/g, " ").trim();
      if (!wanted) return null;
      const card = getView().sources.find((s) => s.name.toLowerCase() === wanted.toLowerCase());
      return card ? card.id : { name: wanted, category };
    }

    function show(title, parts, anchor) {
      box.replaceChildren(el("h2", { id: "sl-editor-title", text: title }), ...parts,
        el("p", { class: "editor-actions" }, button("Cancel", "cancel")));
      box.hidden = false;
      place(anchor);
      const first = box.querySelector("input, select, button");
      if (first) first.focus();
    }

    function place(anchor) {
      const rect = anchor && anchor.getBoundingClientRect ? anchor.getBoundingClientRect() : { left: 24, bottom: 80, top: 80 };
      const width = Math.min(380, window.innerWidth - 16);
      box.style.width = `${width}px`;
      const left = Math.max(8, Math.min(rect.left, window.innerWidth - width - 8));
      const height = box.offsetHeight;
      const below = rect.bottom + 8;
      const top = below + height > window.innerHeight && rect.top - height - 8 > 0 ? rect.top - height - 8 : below;
      box.style.left = `${left + window.scrollX}px`;
      box.style.top = `${Math.max(8, top) + window.scrollY}px`;
    }

    function close() {
      if (box.hidden) return false;
      box.hidden = true;
      box.replaceChildren();
      const back = opener;
      opener = null;
      if (back && back.isConnected) back.focus();
      return true;
    }

    /** Commit, close, and put focus back on what now stands for the opener. */
    function done(next, focusSelector) {
      box.hidden = true;
      box.replaceChildren();
      opener = null;
      commit(next);
      const target = focusSelector && document.querySelector(focusSelector);
      if (target) target.focus();
      else $("sl-title").focus();
    }

    box.addEventListener("click", (event) => {
      const action = event.target.closest("button") && event.target.closest("button").dataset.action;
      if (action && handlers[action]) handlers[action]();
    });
    box.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && event.target.localName === "input") {
        event.preventDefault();
        const primary = box.querySelector("button[data-primary]");
        if (primary) primary.click();
      }
    });
    let handlers = {};

    // ---------------------------------------------------------------- a mark
    function openMark(mark) {
      const id = mark.dataset.attr;
      const view = getView();
      const details = present.attributionDetails(view, { candidates: true });
      const d = details.get(id);
      if (!d) return;
      opener = mark;
      const current = el("p", { class: "editor-current" },
        el("q", { text: snippet(d.content || d.mention || mark.textContent) }),
        el("br"), el("span", { text: `Source: ${d.name} (${d.categoryLabel.toLowerCase()})${d.sureness ? ` · ${d.sureness}` : ""}` }));
      const parts = [current, el("p", {}, button(d.candidate ? "Hide this uncertain mark" : "Hide this mark", "hide"))];
      if (!d.candidate) {
        parts.push(el("fieldset", {}, el("legend", { text: "Give it another source" }),
          ...nameField("sl-editor-name", "Source (a card’s name or a new one)"),
          el("label", { for: "sl-editor-category", text: "Category, if new" }), categorySelect("sl-editor-category", d.category),
          button("Apply", "reassign", { "data-primary": "" })));
      }
      handlers = {
        cancel: close,
        hide: () => done(C.hide(currentCorrections(), id)),
        reassign: () => {
          const target = targetFor($("sl-editor-name").value, $("sl-editor-category").value);
          if (!target) return fieldError("sl-editor-name", "Type a source's name.");
          done(C.reassign(currentCorrections(), id, target), `mark[data-attr="${id}"][tabindex="0"]`);
        },
      };
      show("Correct this mark", parts, mark);
    }

    // ---------------------------------------------------------------- a card
    function openCard(entityId, from) {
      const view = getView();
      const source = view.sources.find((s) => s.id === entityId);
      if (!source) return;
      opener = from;
      const text = getText();
      const byId = new Map(view.attributions.map((a) => [a.id, a]));
      const others = view.sources.filter((s) => s.id !== entityId && s.mentions.length);
      const rename = el("fieldset", {}, el("legend", { text: "Name and category" }),
        el("label", { for: "sl-card-name", text: "Name" }), el("input", { id: "sl-card-name", type: "text", value: source.name, maxLength: 200 }),
        el("label", { for: "sl-card-category", text: "Category" }), categorySelect("sl-card-category", source.category),
        button("Save", "rename", { "data-primary": "" }));
      const parts = [rename];
      if (others.length) {
        const into = el("select", { id: "sl-card-merge" });
        for (const o of others) into.append(el("option", { value: o.id, text: o.name }));
        parts.push(el("fieldset", {}, el("legend", { text: "Merge with another card" }),
          el("label", { for: "sl-card-merge", text: "Same source as" }), into, button("Merge", "merge")));
      }
      if (source.mentions.length >= 2) {
        const boxes = source.mentions.map((id, i) => {
          const a = byId.get(id);
          const check = el("input", { type: "checkbox", id: `sl-split-${i}`, value: id });
          return el("div", { class: "split-item" }, check,
            el("label", { for: `sl-split-${i}`, text: snippet(a ? present.spanText(text, a.content) || present.spanText(text, a.source) : id) }));
        });
        parts.push(el("fieldset", {}, el("legend", { text: "Split: these mentions are someone else" }), ...boxes,
          ...nameField("sl-split-name", "Their source"),
          el("label", { for: "sl-split-category", text: "Category" }), categorySelect("sl-split-category", source.category),
          button("Split off", "split")));
      }
      handlers = {
        cancel: close,
        rename: () => {
          const name = $("sl-card-name").value;
          if (!name.trim()) return fieldError("sl-card-name", "A source needs a name.");
          let next = currentCorrections();
          if (name.trim() !== source.name) next = C.rename(next, entityId, name);
          if ($("sl-card-category").value !== source.category) next = C.recategorize(next, entityId, $("sl-card-category").value);
          done(next, `.source-button[data-entity="${entityId}"]`);
        },
        merge: () => {
          const into = $("sl-card-merge").value;
          done(C.merge(currentCorrections(), entityId, into), `.source-button[data-entity="${into}"]`);
        },
        split: () => {
          const ids = [...box.querySelectorAll(".split-item input:checked")].map((c) => c.value);
          const name = $("sl-split-name").value;
          if (!ids.length) return fieldError("sl-split-name", "Tick the mentions to split off.");
          if (!name.trim()) return fieldError("sl-split-name", "Type their source's name.");
          const target = targetFor(name, $("sl-split-category").value);
          const next = typeof target === "string"
            ? ids.reduce((c, id) => C.reassign(c, id, target), currentCorrections())
            : C.split(currentCorrections(), ids, target.name, target.category);
          done(next, `.source-button[data-entity="${entityId}"]`);
        },
      };
      show(`Correct “${snippet(source.name)}”`, parts, from);
    }

    // ---------------------------------------------------------------- a selection
    /** The selection inside the article as a span of article.text, or null. */
    function selectedSpan() {
      const selection = document.getSelection();
      if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
      const body = $("sl-body");
      const offsets = A.rangeOffsets(body, selection.getRangeAt(0));
      if (!offsets) return null;
      const { text: bodyText } = A.textNodes(body);
      return A.carrySpan(bodyText, offsets, getText());
    }

    function onSelectionChange() {
      const span = selectedSpan();
      pendingSpan = span;
      selectButton.hidden = !span;
      if (!span) return;
      const rect = document.getSelection().getRangeAt(0).getBoundingClientRect();
      selectButton.style.left = `${Math.max(8, Math.min(rect.left, window.innerWidth - 220)) + window.scrollX}px`;
      selectButton.style.top = `${rect.bottom + 6 + window.scrollY}px`;
    }

    function openSelection() {
      const span = pendingSpan || selectedSpan();
      if (!span) return false;
      opener = $("sl-title");
      const said = present.spanText(getText(), span);
      handlers = {
        cancel: close,
        add: () => {
          const target = targetFor($("sl-add-name").value, $("sl-add-category").value);
          if (!target) return fieldError("sl-add-name", "Type who said it, or pick a card.");
          selectButton.hidden = true;
          document.getSelection().removeAllRanges();
          done(C.addAttribution(currentCorrections(), span, target));
        },
      };
      show("Attribute this passage", [
        el("p", { class: "editor-current" }, el("q", { text: snippet(said) })),
        el("fieldset", {}, el("legend", { text: "Who said it" }), ...nameField("sl-add-name", "Source (a card’s name or a new one)"),
          el("label", { for: "sl-add-category", text: "Category, if new" }), categorySelect("sl-add-category", "person"),
          button("Add", "add", { "data-primary": "" })),
      ], selectButton.hidden ? $("sl-title") : selectButton);
      selectButton.hidden = true;
      return true;
    }

    function fieldError(id, message) {
      const field = $(id);
      field.setAttribute("aria-invalid", "true");
      let note = box.querySelector(".editor-error");
      if (!note) {
        note = el("p", { class: "editor-error", role: "alert" });
        box.insertBefore(note, box.querySelector(".editor-actions"));
      }
      note.textContent = message;
      field.focus();
    }

    let currentCorrections = () => C.empty();
    // A drag fires selectionchange for every character: look once it has settled (each look
    // walks the whole article's text).
    let settle = 0;
    document.addEventListener("selectionchange", () => {
      clearTimeout(settle);
      settle = setTimeout(() => {
        if (box.hidden) onSelectionChange();
      }, SELECTION_SETTLE_MS);
    });
    selectButton.addEventListener("mousedown", (event) => event.preventDefault()); // keep the selection
    selectButton.addEventListener("click", openSelection);

    return {
      openMark, openCard, openSelection, close,
      isOpen: () => !box.hidden,
      useCorrections: (getter) => { currentCorrections = getter; },
    };
  }

  root.SLEditor = Object.freeze({ create });
})(globalThis);
