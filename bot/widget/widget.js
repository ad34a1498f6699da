/*
 * Medverk web chat widget. Plain JavaScript, no dependencies, no inline code,
 * so it runs under a strict Content-Security-Policy.
 *
 * Embed: <script src="https://<gateway>/widget.js" defer data-malform="nn"></script>
 * Options (data-* on that script tag): malform (nn|nb), open (true),
 * position (right|left), privacy-url, api (gateway base URL).
 * The gateway fills in CONFIG (labels from data/knowledge/widget.yml) when serving.
 */
(function () {
  "use strict";

  var CONFIG = /*MEDVERK_CONFIG*/ null;
  var STORE_KEY = "medverk-widget:v1";
  var ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
  var MAX_TRANSCRIPT = 200;
  var REQUEST_TIMEOUT_MS = 45000;
  var URL_PATTERN = /(https?:\/\/[^\s<>"')\]]+[^\s<>"')\].,;:!?])/g;

  if (!CONFIG || window.__medverkWidget) {
    return;
  }
  window.__medverkWidget = true;

  var script =
    document.currentScript || document.querySelector('script[src*="widget.js"][data-malform], script[src$="/widget.js"]');
  var options = (script && script.dataset) || {};
  var base = (options.api || (script && script.src ? new URL(script.src, location.href).origin : location.origin)).replace(
    /\/+$/,
    ""
  );
  var privacyUrl = new URL(options.privacyUrl || CONFIG.privacyUrl, base + "/").href;

  /* ---------- storage (localStorage may be blocked: fall back to memory) ---------- */

  var memory = null;

  function loadState() {
    var raw = null;
    try {
      raw = window.localStorage.getItem(STORE_KEY);
    } catch (e) {
      raw = memory;
    }
    var state = null;
    try {
      state = raw ? JSON.parse(raw) : null;
    } catch (e) {
      state = null;
    }
    if (!state || typeof state !== "object" || !ID_PATTERN.test(state.id || "")) {
      state = newState();
    }
    // Whatever else is stored (another version, a hand-edited value) is dropped, not shown.
    state.transcript = (Array.isArray(state.transcript) ? state.transcript : []).filter(function (item) {
      return item && (item.who === "user" || item.who === "bot") && typeof item.text === "string";
    });
    // A message not yet answered keeps its id, so its resend is the same message (one turn).
    state.transcript.forEach(function (item) {
      if (item.who === "user" && item.failed && !ID_PATTERN.test(item.mid || "")) {
        item.mid = newId();
      }
    });
    return state;
  }

  function saveState() {
    state.transcript = state.transcript.slice(-MAX_TRANSCRIPT);
    var raw = JSON.stringify(state);
    try {
      window.localStorage.setItem(STORE_KEY, raw);
    } catch (e) {
      memory = raw;
    }
  }

  function newId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  function newState() {
    return { id: newId(), malform: null, transcript: [], draft: "" };
  }

  function pickMalform(value) {
    return value === "nn" || value === "nb" ? value : null;
  }

  var state = loadState();

  function malform() {
    return pickMalform(state.malform) || pickMalform(options.malform) || CONFIG.defaultMalform;
  }

  function label(key, vars) {
    var text = CONFIG.labels[malform()][key];
    Object.keys(vars || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(vars[name]));
    });
    return text;
  }

  /* ---------- DOM ---------- */

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") {
        node.textContent = attrs.text;
      } else if (attrs[name] === true) {
        node.setAttribute(name, "");
      } else if (attrs[name] !== false && attrs[name] != null) {
        node.setAttribute(name, attrs[name]);
      }
    });
    (children || []).forEach(function (child) {
      node.appendChild(child);
    });
    return node;
  }

  var host = el("div", { id: "medverk-widget", "data-medverk-widget": "" });
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  var sheet = el("link", { rel: "stylesheet", href: base + "/widget.css" });
  var frame = el("div", { class: "mv-frame" + (options.position === "left" ? " mv-left" : ""), hidden: true });

  var launcherText = el("span");
  var launcher = el("button", { type: "button", class: "mv-launcher", "aria-expanded": "false", "aria-controls": "mv-panel" }, [
    el("span", { class: "mv-launcher-icon", "aria-hidden": "true" }),
    launcherText,
  ]);

  var title = el("h2", { id: "mv-title", class: "mv-title" });
  var restartButton = el("button", { type: "button", class: "mv-restart" });
  var closeButton = el("button", { type: "button", class: "mv-close" }, [el("span", { "aria-hidden": "true", text: "×" })]);
  var intro = el("p", { class: "mv-intro" });
  var list = el("ol", { class: "mv-messages" });
  var starters = el("div", { class: "mv-starters", role: "group" });
  var typing = el("p", { class: "mv-typing", role: "status" });
  var log = el("div", { class: "mv-log", tabindex: "0", role: "region", "aria-labelledby": "mv-log-label" }, [
    el("span", { id: "mv-log-label", class: "mv-sr" }),
    intro,
    list,
    starters,
    typing,
  ]);
  var errorText = el("p", { class: "mv-error-text" });
  var retryButton = el("button", { type: "button", class: "mv-retry" });
  var errorBox = el("div", { class: "mv-error", role: "alert" }, [errorText, retryButton]);
  var inputLabel = el("label", { for: "mv-input", class: "mv-sr" });
  var input = el("textarea", { id: "mv-input", class: "mv-input", rows: "2", maxlength: String(CONFIG.maxChars), autocomplete: "off" });
  var sendButton = el("button", { type: "submit", class: "mv-send" });
  var form = el("form", { class: "mv-form", novalidate: true }, [inputLabel, input, sendButton]);
  var privacyLink = el("a", { class: "mv-privacy", href: privacyUrl, target: "_blank", rel: "noopener" });
  var announcer = el("div", { class: "mv-sr", "aria-live": "polite", "aria-atomic": "false" });
  var panel = el("section", { id: "mv-panel", class: "mv-panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "mv-title", hidden: true }, [
    el("div", { class: "mv-header" }, [title, el("div", { class: "mv-tools" }, [restartButton, closeButton])]),
    log,
    errorBox,
    form,
    el("p", { class: "mv-footer" }, [privacyLink]),
    announcer,
  ]);
  frame.appendChild(launcher);
  frame.appendChild(panel);
  root.appendChild(sheet);
  root.appendChild(frame);
  errorBox.hidden = true;
  typing.hidden = true;

  function reveal() {
    frame.hidden = false;
  }
  sheet.addEventListener("load", reveal);
  sheet.addEventListener("error", reveal);

  function applyLabels() {
    var lang = malform();
    host.setAttribute("lang", lang);
    frame.setAttribute("lang", lang);
    launcherText.textContent = label("launcher");
    title.textContent = label("title");
    restartButton.textContent = label("restart");
    closeButton.setAttribute("aria-label", label("close"));
    closeButton.setAttribute("title", label("close"));
    intro.textContent = label("intro");
    log.firstChild.textContent = label("conversation");
    starters.setAttribute("aria-label", label("starters_label"));
    typing.textContent = label("typing");
    retryButton.textContent = label("retry");
    inputLabel.textContent = label("message_label");
    sendButton.textContent = label("send");
    privacyLink.textContent = label("privacy");
    privacyLink.href = options.privacyUrl ? privacyUrl : privacyUrl + "?malform=" + lang;
    Array.prototype.forEach.call(list.querySelectorAll(".mv-who"), function (who) {
      who.textContent = label(who.getAttribute("data-who") === "user" ? "you" : "bot") + ":";
    });
    Array.prototype.forEach.call(list.querySelectorAll(".mv-status"), function (status) {
      status.textContent = label("not_sent");
    });
    if (errorBox.dataset.key) {
      errorText.textContent = label(errorBox.dataset.key, { max: CONFIG.maxChars });
    }
    renderStarters();
  }

  /* ---------- transcript ---------- */

  function appendText(node, text) {
    // Links in the assistant's text (case pages) become real links; the rest stays text.
    var last = 0;
    text.replace(URL_PATTERN, function (url, _group, offset) {
      node.appendChild(document.createTextNode(text.slice(last, offset)));
      node.appendChild(el("a", { href: url, target: "_blank", rel: "noopener", text: url }));
      last = offset + url.length;
      return url;
    });
    node.appendChild(document.createTextNode(text.slice(last)));
  }

  function renderItem(item, index) {
    var who = el("span", { class: "mv-who", "data-who": item.who, text: label(item.who === "user" ? "you" : "bot") + ":" });
    var body = el("span", { class: "mv-text" });
    appendText(body, item.text);
    var li = el("li", { class: "mv-msg mv-" + item.who, "data-index": String(index) }, [who, body]);
    if (item.failed) {
      li.classList.add("mv-failed");
      li.appendChild(el("span", { class: "mv-status", text: label("not_sent") }));
    }
    return li;
  }

  function renderButtons() {
    Array.prototype.forEach.call(list.querySelectorAll(".mv-buttons"), function (group) {
      group.remove();
    });
    var lastIndex = state.transcript.length - 1;
    var last = state.transcript[lastIndex];
    if (!last || last.who !== "bot" || !last.buttons || !last.buttons.length || busy) {
      return;
    }
    var group = el("div", { class: "mv-buttons", role: "group", "aria-label": last.text.slice(0, 80) || label("bot") });
    last.buttons.forEach(function (button) {
      var node = el("button", { type: "button", class: "mv-choice", text: button.title });
      node.addEventListener("click", function () {
        // The buttons go away while the answer comes: keep the keyboard user's place.
        input.focus();
        send(button.title, button.payload || button.title);
      });
      group.appendChild(node);
    });
    list.lastChild.appendChild(group);
  }

  function renderStarters() {
    starters.textContent = "";
    starters.hidden = state.transcript.length > 0;
    if (starters.hidden) {
      return;
    }
    (CONFIG.starters[malform()] || []).forEach(function (text) {
      var node = el("button", { type: "button", class: "mv-choice", text: text });
      node.addEventListener("click", function () {
        input.focus();
        send(text, text);
      });
      starters.appendChild(node);
    });
  }

  function renderTranscript() {
    list.textContent = "";
    state.transcript.forEach(function (item, index) {
      list.appendChild(renderItem(item, index));
    });
    renderButtons();
    renderStarters();
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function announce(text) {
    announcer.appendChild(el("p", { text: label("bot_says") + " " + text }));
    while (announcer.childNodes.length > 3) {
      announcer.removeChild(announcer.firstChild);
    }
  }

  function addItem(item) {
    state.transcript.push(item);
    saveState();
    list.appendChild(renderItem(item, state.transcript.length - 1));
    renderStarters();
  }

  /* ---------- errors ---------- */

  function showError(key, canRetry) {
    errorBox.dataset.key = key;
    errorText.textContent = label(key, { max: CONFIG.maxChars });
    retryButton.hidden = !canRetry;
    errorBox.hidden = false;
  }

  function clearError() {
    delete errorBox.dataset.key;
    errorText.textContent = "";
    errorBox.hidden = true;
  }

  /* ---------- sending ---------- */

  var busy = false;

  function failedItems() {
    return state.transcript.filter(function (item) {
      return item.who === "user" && item.failed;
    });
  }

  function errorKeyFor(status, body) {
    var code = body && body.error && body.error.code;
    if (status === 429) {
      return "error_rate_limited";
    }
    if (code === "message_too_long" || status === 413) {
      return "error_too_long";
    }
    if (status >= 400 && status < 500 && status !== 408) {
      return "error_invalid";
    }
    return "error_server";
  }

  function post(message, path, messageId) {
    // A hanging connection becomes a retryable error instead of an endless wait.
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller
      ? setTimeout(function () {
          controller.abort();
        }, REQUEST_TIMEOUT_MS)
      : null;
    return fetch(base + "/api/chat" + (path || ""), {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(
        messageId ? { sender: state.id, message: message, message_id: messageId } : { sender: state.id, message: message }
      ),
      credentials: "omit",
      mode: "cors",
      signal: controller ? controller.signal : undefined,
    }).finally(function () {
      clearTimeout(timer);
    });
  }

  function setBusy(value) {
    busy = value;
    typing.hidden = !value;
    log.setAttribute("aria-busy", value ? "true" : "false");
    renderButtons();
    if (value) {
      scrollToEnd();
    }
  }

  async function deliver(item) {
    var response;
    try {
      response = await post(item.send, undefined, item.mid);
    } catch (e) {
      return { ok: false, key: "error_network", retry: true };
    }
    var body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    if (!response.ok || !body || !Array.isArray(body.messages)) {
      var key = errorKeyFor(response.status, body);
      return { ok: false, key: key, retry: key === "error_server" || key === "error_rate_limited" };
    }
    return { ok: true, body: body };
  }

  async function flush() {
    if (busy) {
      return;
    }
    var queue = failedItems();
    if (!queue.length) {
      return;
    }
    clearError();
    setBusy(true);
    for (var i = 0; i < queue.length; i += 1) {
      var item = queue[i];
      var result = await deliver(item);
      if (!result.ok) {
        if (!result.retry) {
          // Sending it again cannot help (e.g. too long): give the text back to edit.
          state.transcript.splice(state.transcript.indexOf(item), 1);
          input.value = input.value ? item.text + "\n" + input.value : item.text;
          state.draft = input.value;
          saveState();
        }
        setBusy(false);
        renderTranscript();
        showError(result.key, result.retry);
        scrollToEnd();
        return;
      }
      item.failed = false;
      saveState();
      receive(result.body);
    }
    setBusy(false);
    renderTranscript();
    scrollToEnd();
  }

  function receive(body) {
    if (pickMalform(body.malform) && body.malform !== state.malform) {
      state.malform = body.malform;
      saveState();
      applyLabels();
    }
    body.messages.forEach(function (message) {
      var text = typeof message.text === "string" ? message.text : "";
      var buttons = Array.isArray(message.buttons)
        ? message.buttons
            .filter(function (b) {
              return b && typeof b.title === "string" && b.title;
            })
            .map(function (b) {
              return { title: b.title, payload: typeof b.payload === "string" && b.payload ? b.payload : b.title };
            })
        : [];
      if (!text && !buttons.length) {
        return;
      }
      addItem({ who: "bot", text: text, buttons: buttons });
      if (text) {
        announce(text);
      }
    });
  }

  // Answers from the municipality wait on the server until the widget is opened.
  // Nothing to say if that fails: they stay waiting for the next time.
  var checking = false;

  async function checkPending() {
    if (checking || busy || !state.transcript.length) {
      return;
    }
    checking = true;
    var id = state.id;
    try {
      var response = await post(undefined, "/pending");
      var body = await response.json();
      // Not after "Start på nytt": that conversation is forgotten here.
      if (response.ok && id === state.id && Array.isArray(body.messages) && body.messages.length) {
        receive(body);
        renderTranscript();
        scrollToEnd();
      }
    } catch (e) {
      /* quiet */
    }
    checking = false;
  }

  function send(display, message) {
    var text = String(message || "").trim();
    if (!text) {
      showError("empty", false);
      return false;
    }
    if (text.length > CONFIG.maxChars) {
      showError("error_too_long", false);
      return false;
    }
    // Stored as "failed" until the gateway answers, so a reload or a failure never loses it.
    // The id goes with every resend: the gateway answers it once (bot/replay.py).
    addItem({ who: "user", text: String(display).trim() || text, send: text, failed: true, mid: newId() });
    list.lastChild.classList.remove("mv-failed");
    var status = list.lastChild.querySelector(".mv-status");
    if (status) {
      status.remove();
    }
    flush();
    return true;
  }

  /* ---------- opening and closing ---------- */

  function isOpen() {
    return !panel.hidden;
  }

  function open(moveFocus) {
    panel.hidden = false;
    launcher.hidden = true;
    launcher.setAttribute("aria-expanded", "true");
    state.open = true;
    saveState();
    scrollToEnd();
    if (moveFocus !== false) {
      input.focus();
    }
    checkPending();
  }

  function close() {
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    state.open = false;
    saveState();
    launcher.focus();
  }

  function restart() {
    var keepMalform = state.malform;
    state = newState();
    state.malform = keepMalform;
    saveState();
    clearError();
    announcer.textContent = "";
    renderTranscript();
    announcer.appendChild(el("p", { text: label("restarted") }));
    input.focus();
  }

  launcher.addEventListener("click", function () {
    open(true);
  });
  closeButton.addEventListener("click", close);
  restartButton.addEventListener("click", restart);
  retryButton.addEventListener("click", function () {
    flush();
    input.focus();
  });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) {
      return;
    }
    if (send(input.value, input.value)) {
      input.value = "";
      state.draft = "";
      saveState();
    }
    input.focus();
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });
  input.addEventListener("input", function () {
    if (errorBox.dataset.key === "empty" || errorBox.dataset.key === "error_too_long") {
      clearError();
    }
    state.draft = input.value;
    saveState();
  });
  // Host pages open the chat from their own buttons: <button data-medverk-open>.
  document.addEventListener("click", function (event) {
    var opener = event.target && event.target.closest && event.target.closest("[data-medverk-open]");
    if (opener) {
      event.preventDefault();
      open(true);
    }
  });

  /* ---------- start ---------- */

  function start() {
    input.value = state.draft || "";
    applyLabels();
    renderTranscript();
    if (failedItems().length) {
      showError("error_network", true);
    }
    document.body.appendChild(host);
    if (options.open === "true" || state.open) {
      open(false);
    }
  }

  if (document.body) {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
