// Kvinnofrid: small progressive enhancements. Pages work without this file.
(function () {
  "use strict";
  // Confirmation before destructive actions: <form data-confirm="Ta bort …?">
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }, true);
})();
