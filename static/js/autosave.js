// Kvinnofrid: autosave support for the actor's form (htmx does the debounced POST).
// - keeps a copy of every typed value in localStorage (keyed by the logged-in user and the
//   submission id) until the server confirms the save, and restores it on load with a visible
//   notice (only this user's own typing in this browser is ever put back);
// - warns before leaving the page with unsaved changes;
// - shows 409 conflict responses (htmx does not swap 4xx by default).
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave-key]");
  if (!form) { return; }
  var user = document.body.getAttribute("data-user-key");
  if (!user) { return; }
  var key = "kvinnofrid-autosave-" + user + "-" + form.getAttribute("data-autosave-key");
  var dirty = false;
  var submitting = false;
  var SKIP = { csrfmiddlewaretoken: true, lock_version: true, action: true };

  function snapshot() {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIP[el.name]) { return; }
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) { values[el.name] = el.value; } else if (!(el.name in values)) { values[el.name] = ""; }
      } else if (el.type !== "submit" && el.type !== "button") {
        values[el.name] = el.value;
      }
    });
    return values;
  }
  function store() {
    try {
      window.localStorage.setItem(key, JSON.stringify({ at: Date.now(), values: snapshot() }));
    } catch (e) { /* storage full or disabled: the server copy is still there */ }
  }
  function forget() {
    try { window.localStorage.removeItem(key); } catch (e) { /* ignore */ }
  }
  function setValue(name, value) {
    var changed = false;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name !== name) { return; }
      if (el.type === "radio" || el.type === "checkbox") {
        var want = el.value === value;
        if (el.checked !== want) { el.checked = want; changed = true; }
      } else if (el.value !== value) {
        el.value = value; changed = true;
      }
    });
    return changed;
  }

  // Restore what was typed but never confirmed saved (expired session, stale token, crash).
  var raw = null;
  try { raw = window.localStorage.getItem(key); } catch (e) { raw = null; }
  if (raw) {
    var restored = false;
    try {
      var stored = JSON.parse(raw).values || {};
      Object.keys(stored).forEach(function (name) {
        if (setValue(name, stored[name])) { restored = true; }
      });
    } catch (e) { restored = false; }
    if (restored) {
      dirty = true;
      var notice = document.getElementById("autosave-restore");
      if (notice) { notice.hidden = false; }
    } else {
      forget();
    }
  }
  var discard = document.getElementById("autosave-discard");
  if (discard) {
    discard.addEventListener("click", function () { forget(); dirty = false; window.location.reload(); });
  }

  form.addEventListener("input", function () { dirty = true; store(); });
  form.addEventListener("change", function () { dirty = true; store(); });
  form.addEventListener("submit", function () { submitting = true; store(); });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt !== form) { return; }
    var xhr = event.detail.xhr;
    if (xhr && xhr.status === 200 && xhr.getResponseHeader("X-Autosave") === "saved") {
      dirty = false;
      forget();
    } else if (xhr && xhr.status !== 409) {
      var status = document.getElementById("autosave-status");
      if (status && xhr.getResponseHeader("X-Autosave") !== "refused") {
        status.textContent = form.getAttribute("data-autosave-failed") || "";
      }
    }
  });
  // "Spara mina värden" in a conflict: take the saved version and save this page's values.
  document.body.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-adopt-version]");
    if (!button) { return; }
    var version = form.querySelector("input[name=lock_version]");
    if (version) { version.value = button.getAttribute("data-adopt-version"); }
    if (window.htmx) { window.htmx.trigger(form, "autosave-now"); }
  });
})();
