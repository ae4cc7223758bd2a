// Plan editor: after an edit form is loaded in place (htmx), move keyboard focus into it.
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function (event) {
    var slot = event.detail && event.detail.target;
    if (!slot || !slot.classList || !slot.classList.contains("edit-slot")) {
      return;
    }
    var field = slot.querySelector("textarea, input:not([type=hidden]), select");
    if (field) {
      field.focus();
    }
  });
})();
