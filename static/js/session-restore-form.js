// Keep what the user typed when a form post is refused (the session had run out, or the page's
// CSRF token was stale) and put it back when the page comes again.
//
// The copy lives in this browser tab only (sessionStorage), keyed by the logged-in user and the
// page's path, and is written when the user submits a form. The server never keeps or sends
// back the posted values: it only marks the page with a hidden notice (#restored-post-notice,
// see RestoreTypedTextMiddleware) when a post from it was refused. So a post that another site
// made in the user's name can never put its text into the form: only this user's own typing
// on this page, in this tab, is ever restored.
(function () {
  "use strict";
  var PREFIX = "kvinnofrid-typed:";
  var MAX_AGE_MS = 2 * 3600 * 1000;
  var SKIPPED = { csrfmiddlewaretoken: true };
  var storage = null;
  try { storage = window.sessionStorage; } catch (e) { storage = null; }
  if (!storage) { return; }
  var user = document.body.getAttribute("data-user-key") || "";
  var pageKey = PREFIX + user + ":" + window.location.pathname;

  function postForms() {
    // The actor's form keeps its own copy (autosave.js).
    return Array.prototype.filter.call(document.querySelectorAll("main form"), function (form) {
      return (form.getAttribute("method") || "").toLowerCase() === "post" &&
        !form.hasAttribute("data-autosave-key");
    });
  }

  function isKept(el) {
    if (!el.name || SKIPPED[el.name] || /password|losenord/i.test(el.name)) { return false; }
    return ["file", "submit", "button", "reset", "password", "image"].indexOf(el.type) === -1;
  }

  function snapshot(form) {
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!isKept(el)) { return; }
      var values = fields[el.name] || (fields[el.name] = []);
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) { values.push(el.value); }
      } else if (el.tagName.toLowerCase() === "select") {
        Array.prototype.forEach.call(el.options, function (o) { if (o.selected) { values.push(o.value); } });
      } else {
        values.push(el.value);
      }
    });
    return fields;
  }

  function fill(form, fields) {
    var queues = {};
    Object.keys(fields).forEach(function (name) { queues[name] = fields[name].slice(); });
    var filled = false;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!isKept(el) || !Object.prototype.hasOwnProperty.call(fields, el.name)) { return; }
      var values = fields[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = values.indexOf(el.value) !== -1;
      } else if (el.tagName.toLowerCase() === "select") {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = values.indexOf(o.value) !== -1; });
      } else {
        var value = queues[el.name].length ? queues[el.name].shift() : "";
        if (el.type !== "hidden" && String(value).trim() !== "") { filled = true; }
        el.value = value;
      }
      el.dispatchEvent(new Event("input", { bubbles: true }));
    });
    return filled;
  }

  // Forget old copies, and every copy of another user (someone else logged in in this tab).
  for (var i = storage.length - 1; i >= 0; i--) {
    var key = storage.key(i);
    if (!key || key.indexOf(PREFIX) !== 0) { continue; }
    var stale = Boolean(user) && key.indexOf(PREFIX + user + ":") !== 0;
    try { stale = stale || Date.now() - JSON.parse(storage.getItem(key)).at > MAX_AGE_MS; } catch (e) { stale = true; }
    if (stale) { storage.removeItem(key); }
  }
  if (!user) { return; }  // e.g. the login page on the way back: keep the copy for later

  // This page is shown again: refill the form if the server says the last post was refused.
  var raw = storage.getItem(pageKey);
  storage.removeItem(pageKey);
  var notice = document.getElementById("restored-post-notice");
  if (raw && notice) {
    try {
      var copy = JSON.parse(raw);
      var form = postForms()[copy.form];
      if (form && fill(form, copy.fields || {})) {
        notice.hidden = false;
        notice.setAttribute("tabindex", "-1");
        notice.focus();
      }
    } catch (e) { /* a damaged copy is ignored */ }
  }

  // Keep a copy of what is sent, until the next page shows whether it arrived.
  document.addEventListener("submit", function (event) {
    var forms = postForms();
    var index = forms.indexOf(event.target);
    if (index === -1) { return; }
    try {
      storage.setItem(pageKey, JSON.stringify({ at: Date.now(), form: index, fields: snapshot(event.target) }));
    } catch (e) { /* storage full or disabled: nothing to restore later */ }
  }, true);
})();
