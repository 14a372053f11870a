/* Sourcelight options: service address, pairing token, time limit, highlight categories and
 * theme, kept in chrome.storage.local; "Test connection" asks the service itself. */
(() => {
  "use strict";

  const ext = globalThis.browser || globalThis.chrome;
  const $ = (id) => document.getElementById(id);
  const form = $("options");

  init();

  async function init() {
    buildCategoryBoxes();
    const settings = await SLClient.loadSettings(ext.storage.local);
    fill(settings);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      save();
    });
    $("test").addEventListener("click", test);
    $("show-token").addEventListener("click", toggleTokenVisibility);
    $("address").addEventListener("input", () => showAddressError(""));
    $("theme").addEventListener("change", () => applyTheme($("theme").value));
  }

  function buildCategoryBoxes() {
    const fieldset = $("categories");
    for (const key of SLPresent.CATEGORY_ORDER) {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = `category-${key}`;
      box.id = `category-${key}`;
      box.dataset.category = key;
      const cat = SLPresent.CATEGORIES[key];
      label.append(box, document.createTextNode(`${cat.label} (${cat.letter})`));
      fieldset.append(label);
    }
  }

  function fill(settings) {
    $("address").value = settings.address;
    $("token").value = settings.token;
    $("timeout").value = String(settings.timeoutSeconds);
    $("theme").value = settings.theme;
    applyTheme(settings.theme);
    for (const box of document.querySelectorAll("#categories input")) {
      box.checked = settings.categories[box.dataset.category] !== false;
    }
  }

  /** The options page follows the chosen theme too ("auto" leaves it to the system). */
  function applyTheme(theme) {
    if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
    else delete document.documentElement.dataset.theme;
  }

  /** The form's values as settings; {ok: false} with the address error shown when it is wrong. */
  function read() {
    const address = SLClient.normaliseAddress($("address").value);
    if (!address.ok) {
      showAddressError(address.error);
      return { ok: false };
    }
    const categories = {};
    for (const box of document.querySelectorAll("#categories input")) categories[box.dataset.category] = box.checked;
    const values = {
      address: address.address,
      token: $("token").value.trim(),
      timeoutSeconds: Number($("timeout").value) || SLClient.DEFAULT_SETTINGS.timeoutSeconds,
      theme: $("theme").value,
      categories,
    };
    return { ok: true, values, settings: SLClient.withDefaults(values) };
  }

  function showAddressError(text) {
    const error = $("address-error");
    error.hidden = !text;
    error.textContent = text;
  }

  async function save() {
    const form = read();
    if (!form.ok) return false;
    const s = form.settings;
    await ext.storage.local.set({
      address: s.address, token: s.token, timeoutSeconds: s.timeoutSeconds, theme: s.theme, categories: s.categories,
    });
    $("address").value = s.address;
    $("timeout").value = String(s.timeoutSeconds);
    $("saved").textContent = "Saved.";
    setTimeout(() => ($("saved").textContent = ""), 4000);
    return true;
  }

  async function test() {
    const form = read();
    if (!form.ok) return;
    const result = $("test-result");
    result.hidden = false;
    result.className = "result";
    delete result.dataset.outcome;
    result.textContent = `Asking ${form.settings.address}…`;
    const answer = await SLClient.testConnection(form.settings);
    result.replaceChildren();
    const title = document.createElement("strong");
    const message = document.createElement("span");
    if (answer.ok) {
      result.classList.add("ok");
      title.textContent = answer.title;
      message.textContent = answer.message;
      result.append(title, message);
      // A working pairing is worth keeping at once.
      await save();
    } else {
      result.classList.add("bad");
      title.textContent = answer.failure.title;
      message.textContent = answer.failure.message + (answer.version ? ` (found ${answer.version})` : "");
      result.append(title, message);
      for (const command of answer.failure.commands || []) {
        const code = document.createElement("code");
        code.textContent = command;
        const line = document.createElement("div");
        line.append(code);
        result.append(line);
      }
    }
    result.dataset.outcome = answer.ok ? "ok" : answer.failure.kind;
  }

  function toggleTokenVisibility() {
    const input = $("token");
    const show = input.type === "password";
    input.type = show ? "text" : "password";
    $("show-token").textContent = show ? "Hide" : "Show";
    $("show-token").setAttribute("aria-pressed", String(show));
  }
})();
