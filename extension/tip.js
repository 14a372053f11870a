/* Sourcelight overlay: the details tip shown on a mark's hover or focus (who, category, how
 * sure in words, cue, the reader's correction), and the category badge. textContent only.
 */
(function (root) {
  "use strict";

  const present = root.SLPresent;
  const $ = (id) => document.getElementById(id);

  /** The details of mark's attribution `d` in the tip, placed clear of every piece of it. */
  function showTip(mark, d) {
    const id = mark.dataset.attr;
    const tip = $("sl-tip");
    for (const other of document.querySelectorAll("mark.active")) other.classList.remove("active");
    for (const piece of document.querySelectorAll(`mark[data-attr="${id}"]`)) piece.classList.add("active");
    tip.replaceChildren();
    if (!d) {
      tip.textContent = "No details for this highlight.";
    } else {
      const head = document.createElement("p");
      head.className = "tip-head";
      const badge = categoryBadge(d.category);
      const name = document.createElement("strong");
      name.className = "tip-name";
      name.textContent = d.name;
      head.append(badge, name);
      if (d.stateMedia) head.append(textSpan(" (state media)", "tip-state"));
      tip.append(head);
      addTipLine(tip, "tip-category", "Category", d.role ? `${d.categoryLabel} (${d.role})` : d.categoryLabel);
      if (d.sureness) addTipLine(tip, "tip-sureness", "How sure", d.candidate ? `${d.sureness}: an uncertain mark, shown because you asked` : d.sureness);
      if (d.corrected) addTipLine(tip, "tip-corrected", "Your correction", d.corrected);
      if (d.mention && d.mention !== d.name) addTipLine(tip, "tip-mention", "Named as", `“${d.mention}”`);
      if (d.cue) addTipLine(tip, "tip-cue", "Cue", `“${d.cue}”${d.type ? ` (${d.type})` : ""}`);
      if (d.reason) addTipLine(tip, "tip-reason", "Why anonymous", d.reason);
      addTipLine(tip, "tip-edit", "Correct it", "click the mark or press e");
    }
    tip.hidden = false;
    const rect = attributionRect(id, mark);
    const width = Math.min(360, window.innerWidth - 16);
    tip.style.width = `${width}px`;
    const left = Math.max(8, Math.min(rect.left, window.innerWidth - width - 8));
    const below = rect.bottom + 8;
    const height = tip.offsetHeight;
    const top = below + height > window.innerHeight && rect.top - height - 8 > 0 ? rect.top - height - 8 : below;
    tip.style.left = `${left + window.scrollX}px`;
    tip.style.top = `${top + window.scrollY}px`;
  }

  /** The box around every piece of an attribution, so the tip never covers any of it. */
  function attributionRect(id, fallback) {
    const rects = [...document.querySelectorAll(`#sl-body mark[data-attr="${id}"]`)].map((m) => m.getBoundingClientRect());
    if (!rects.length) return fallback.getBoundingClientRect();
    const first = fallback.getBoundingClientRect();
    return {
      left: first.left,
      top: Math.min(...rects.map((r) => r.top)),
      bottom: Math.max(...rects.map((r) => r.bottom)),
    };
  }

  function addTipLine(tip, cls, label, text) {
    const line = document.createElement("p");
    line.className = cls;
    const b = document.createElement("b");
    b.textContent = `${label}: `;
    line.append(b, document.createTextNode(text));
    tip.append(line);
  }

  function hideTip() {
    $("sl-tip").hidden = true;
    for (const mark of document.querySelectorAll("mark.active")) mark.classList.remove("active");
  }

  function textSpan(text, cls) {
    const span = document.createElement("span");
    span.className = cls;
    span.textContent = text;
    return span;
  }

  function categoryBadge(key) {
    const cat = present.category(key);
    const badge = document.createElement("span");
    badge.className = `badge cat-${present.categoryKey(key)}`;
    const letter = textSpan(cat.letter, "badge-letter");
    letter.setAttribute("aria-hidden", "true");
    badge.append(letter, document.createTextNode(cat.label));
    return badge;
  }

  root.SLTip = Object.freeze({ show: showTip, hide: hideTip, badge: categoryBadge, span: textSpan });
})(globalThis);
