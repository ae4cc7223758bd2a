// Refill a form with what the user typed before the session expired or the page went stale.
// The server renders the values as <script type="application/json" id="restored-post"> (data, not
// code, so the CSP does not apply) and a hidden notice; see RestoreTypedTextMiddleware.
(function () {
  "use strict";
  var data = document.getElementById("restored-post");
  var notice = document.getElementById("restored-post-notice");
  if (!data) {
    return;
  }
  var fields;
  try {
    fields = JSON.parse(data.textContent || "{}");
  } catch (e) {
    return;
  }
  var names = Object.keys(fields);
  if (!names.length) {
    return;
  }

  function elementsNamed(form, name) {
    var found = [];
    for (var i = 0; i < form.elements.length; i++) {
      if (form.elements[i].name === name) {
        found.push(form.elements[i]);
      }
    }
    return found;
  }

  function isVisibleField(el) {
    return el.type !== "hidden" && el.type !== "submit" && el.type !== "button";
  }

  function fill(el, values) {
    var tag = el.tagName.toLowerCase();
    if (el.type === "checkbox" || el.type === "radio") {
      el.checked = values.indexOf(el.value) !== -1;
    } else if (tag === "select") {
      for (var i = 0; i < el.options.length; i++) {
        el.options[i].selected = values.indexOf(el.options[i].value) !== -1;
      }
    } else if (el.type !== "file" && el.type !== "submit" && el.type !== "button") {
      el.value = values.length ? values.shift() : "";
      return;
    }
  }

  // Only forms in which a visible field matches a non-empty typed value are touched.
  var filledAny = false;
  var forms = document.querySelectorAll("main form");
  for (var f = 0; f < forms.length; f++) {
    var form = forms[f];
    var matches = names.filter(function (name) {
      return elementsNamed(form, name).some(isVisibleField) &&
        fields[name].some(function (v) { return String(v).trim() !== ""; });
    });
    if (!matches.length) {
      continue;
    }
    names.forEach(function (name) {
      var values = fields[name].slice();
      elementsNamed(form, name).forEach(function (el) {
        fill(el, values);
        el.dispatchEvent(new Event("input", { bubbles: true }));
      });
    });
    // Checkboxes that were unticked are not posted at all: untick those the user left empty.
    var boxes = form.querySelectorAll('input[type="checkbox"]');
    for (var b = 0; b < boxes.length; b++) {
      if (!Object.prototype.hasOwnProperty.call(fields, boxes[b].name)) {
        boxes[b].checked = false;
      }
    }
    filledAny = true;
  }
  if (filledAny && notice) {
    notice.hidden = false;
    notice.setAttribute("tabindex", "-1");
    notice.focus();
  }
})();
