// Kvinnofrid: the report editor's rich text fields (templates/core/_rich_text_field.html).
// - shows each field's formatting toolbar (heading, lists, table, footnote, link); the buttons
//   only insert Markdown into the textarea, so what is typed stays plain text in the field;
//   the toolbar is one Tab stop, the arrow keys, Home and End move between its buttons;
// - a live preview (the page comes with the preview of the text it shows): 600 ms after the
//   last change the text is POSTed (with the CSRF token) to the preview endpoint, which renders
//   it through the same function as the report. A failed preview says so and never touches
//   the field.
(function () {
  "use strict";
  var DEBOUNCE_MS = 600;

  function csrfToken(field) {
    var form = field.form;
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function lineStart(text, pos) {
    return text.lastIndexOf("\n", pos - 1) + 1;
  }

  // Replace [start, end) with text; keeps the browser's undo history where it can.
  function replaceRange(field, start, end, text, selectFrom, selectTo) {
    field.focus();
    field.setSelectionRange(start, end);
    var done = false;
    try { done = document.execCommand("insertText", false, text); } catch (e) { done = false; }
    if (!done || field.value.substring(start, start + text.length) !== text) {
      field.setRangeText(text, start, end, "end");
    }
    field.setSelectionRange(start + selectFrom, start + selectTo);
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function selectedLines(field) {
    var value = field.value;
    var start = lineStart(value, field.selectionStart);
    var end = value.indexOf("\n", Math.max(field.selectionEnd - 1, start));
    if (end === -1) { end = value.length; }
    return { start: start, end: end, lines: value.substring(start, end).split("\n") };
  }

  function prefixLines(field, prefixFor) {
    var sel = selectedLines(field);
    var text = sel.lines.map(function (line, i) { return prefixFor(i) + line; }).join("\n");
    replaceRange(field, sel.start, sel.end, text, text.length, text.length);
  }

  // Text inserted as its own block: blank lines around it.
  function insertBlock(field, block, selectFrom, selectTo) {
    var value = field.value;
    var pos = field.selectionEnd;
    var before = value.substring(0, pos);
    var lead = before === "" ? "" : (/\n\n$/.test(before) ? "" : (/\n$/.test(before) ? "\n" : "\n\n"));
    var text = lead + block + "\n\n";
    replaceRange(field, pos, pos, text, lead.length + selectFrom, lead.length + selectTo);
  }

  var actions = {
    heading: function (field) {
      var sel = selectedLines(field);
      var line = sel.lines[0];
      var text = /^#+ /.test(line) ? line.replace(/^#+ /, "") : "# " + line;
      replaceRange(field, sel.start, sel.start + line.length, text, text.length, text.length);
    },
    bullets: function (field) {
      prefixLines(field, function () { return "- "; });
    },
    numbers: function (field) {
      prefixLines(field, function (i) { return (i + 1) + ". "; });
    },
    table: function (field, button) {
      var parts = (button.getAttribute("data-template") || "Tabell 1.|A|B|C").split("|");
      var n = (field.value.match(/^Tabell \d+/gm) || []).length + 1;
      var caption = parts[0].replace(/\d+/, String(n));
      var block = caption + "\n\n| " + parts[1] + " | " + parts[2] + " |\n| --- | --- |\n| " +
        parts[3] + " | " + parts[3] + " |";
      insertBlock(field, block, 0, caption.length);
    },
    footnote: function (field, button) {
      var used = field.value.match(/\[\^(\d+)\]/g) || [];
      var n = used.reduce(function (max, ref) { return Math.max(max, parseInt(ref.slice(2), 10)); }, 0) + 1;
      var ref = "[^" + n + "]";
      var pos = field.selectionEnd;
      replaceRange(field, pos, pos, ref, ref.length, ref.length);
      var body = button.getAttribute("data-template") || "";
      var value = field.value;
      var tail = (/\n\n$/.test(value) ? "" : (/\n$/.test(value) ? "\n" : "\n\n")) + ref + ": ";
      replaceRange(field, value.length, value.length, tail + body, tail.length, tail.length + body.length);
    },
    link: function (field, button) {
      var start = field.selectionStart;
      var end = field.selectionEnd;
      var label = field.value.substring(start, end) || button.getAttribute("data-template") || "";
      var text = "[" + label + "](https://)";
      var url = text.length - 1;
      replaceRange(field, start, end, text, url, url);
    }
  };

  function setUpToolbar(toolbar, field) {
    var buttons = Array.prototype.slice.call(toolbar.querySelectorAll("button"));
    toolbar.hidden = false;
    buttons.forEach(function (button, i) {
      button.setAttribute("tabindex", i === 0 ? "0" : "-1");
      button.addEventListener("click", function () {
        var action = actions[button.getAttribute("data-action")];
        if (action) { action(field, button); }
      });
    });
    toolbar.addEventListener("keydown", function (event) {
      var i = buttons.indexOf(document.activeElement);
      if (i < 0) { return; }
      var next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: buttons.length - 1 }[event.key];
      if (next === undefined) { return; }
      event.preventDefault();
      next = (next + buttons.length) % buttons.length;
      buttons[i].setAttribute("tabindex", "-1");
      buttons[next].setAttribute("tabindex", "0");
      buttons[next].focus();
    });
  }

  function setUpPreview(box, field) {
    var url = box.getAttribute("data-preview-url");
    var wrap = box.querySelector(".rich-text-preview-wrap");
    if (!url || !wrap) { return; }
    var target = wrap.querySelector(".rich-text-preview");
    var status = wrap.querySelector("[data-preview-status]");
    var timer = null;
    var sequence = 0;
    wrap.hidden = false;

    function refresh() {
      var mine = ++sequence;
      var body = new URLSearchParams();
      body.set("text", field.value);
      body.set("field", box.getAttribute("data-preview-field") || "");
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        // a redirect (to the login page when the session has run out) is a failed preview
        redirect: "error",
        // HX-Request: a refused token then answers 403 and leaves the page as it is
        // (kvinnofrid.core.views.csrf_failure), instead of redirecting a background request.
        headers: { "X-CSRFToken": csrfToken(field), "HX-Request": "true" },
        body: body
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      }).then(function (html) {
        if (mine !== sequence) { return; }
        // Sanitised on the server by the same allow-list as the report.
        target.innerHTML = html;
        status.textContent = "";
        target.removeAttribute("data-stale");
      }).catch(function () {
        if (mine !== sequence) { return; }
        status.textContent = wrap.getAttribute("data-failed") || "";
        target.setAttribute("data-stale", "true");
      });
    }
    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, DEBOUNCE_MS);
    });
  }

  document.querySelectorAll("[data-rich-text]").forEach(function (box) {
    var field = document.getElementById(box.getAttribute("data-rich-text"));
    if (!field) { return; }
    var toolbar = box.querySelector(".rich-text-toolbar");
    if (toolbar) { setUpToolbar(toolbar, field); }
    setUpPreview(box, field);
  });
})();
