// Kvinnofrid: "Infoga i texten" in the report editor appends an actor's answer to the goal's
// analysis field. Progressive enhancement: without this file the answers are still shown and
// can be copied; the buttons stay hidden.
(function () {
  "use strict";
  var buttons = document.querySelectorAll("button[data-voice-insert]");
  Array.prototype.forEach.call(buttons, function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-target"));
      if (!field) {
        return;
      }
      var quote = button.getAttribute("data-quote") || "";
      var text = field.value.replace(/\s+$/, "");
      field.value = text ? text + "\n\n" + quote : quote;
      field.dispatchEvent(new Event("input", { bubbles: true }));
      var section = button.closest(".report-voices");
      var status = section && section.querySelector("[data-voice-status]");
      if (status) {
        status.textContent = button.getAttribute("data-done") || "Citatet har lagts till i analysen.";
      }
      field.focus();
      field.setSelectionRange(field.value.length, field.value.length);
    });
  });
})();
