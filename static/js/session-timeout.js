// Idle-timeout warning (DESIGN §6). The session's expiry slides with every request; this script
// shows an accessible <dialog> a little before it runs out ("Fortsätt arbeta" pings the
// keep-alive endpoint) and tells the user when it has run out. Activity in other tabs counts:
// every tab writes its last server contact to localStorage.
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.getAttribute("data-session-idle") || "", 10);
  var dialog = document.getElementById("session-timeout");
  if (!idle || !dialog || typeof dialog.showModal !== "function") {
    return;
  }
  var warnBefore = parseInt(body.getAttribute("data-session-warning") || "120", 10);
  if (warnBefore >= idle) {
    warnBefore = Math.floor(idle / 2);
  }
  var keepaliveUrl = body.getAttribute("data-keepalive-url");
  var loginUrl = body.getAttribute("data-login-url");
  var storageKey = "kvinnofrid:lastServerContact";
  var warning = dialog.querySelector('[data-state="warning"]');
  var expired = dialog.querySelector('[data-state="expired"]');
  var countdown = dialog.querySelector("[data-countdown]");
  var continueButton = dialog.querySelector("[data-session-continue]");
  var loginLink = dialog.querySelector("[data-session-login]");
  var status = dialog.querySelector("[data-session-status]");
  var lastContact = Date.now();
  var returnFocusTo = null;
  var isExpired = false;

  function readShared() {
    try {
      var shared = parseInt(window.localStorage.getItem(storageKey) || "0", 10);
      if (shared > lastContact) {
        lastContact = shared;
      }
    } catch (e) { /* storage may be disabled */ }
  }

  function touch() {
    lastContact = Date.now();
    try {
      window.localStorage.setItem(storageKey, String(lastContact));
    } catch (e) { /* storage may be disabled */ }
  }

  function csrfToken() {
    try {
      var headers = JSON.parse(body.getAttribute("data-hx-headers") || "{}");
      if (headers["X-CSRFToken"]) {
        return headers["X-CSRFToken"];
      }
    } catch (e) { /* fall through to the cookie */ }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function formatRemaining(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    if (minutes > 0) {
      return minutes + " min " + (rest < 10 ? "0" : "") + rest + " s";
    }
    return rest + " s";
  }

  function openDialog() {
    if (dialog.open) {
      return;
    }
    returnFocusTo = document.activeElement;
    dialog.showModal();
    if (continueButton && !isExpired) {
      continueButton.focus();
    }
  }

  function closeDialog() {
    if (dialog.open) {
      dialog.close();
    }
    if (returnFocusTo && typeof returnFocusTo.focus === "function") {
      returnFocusTo.focus();
    }
    returnFocusTo = null;
  }

  function showExpired() {
    isExpired = true;
    warning.hidden = true;
    expired.hidden = false;
    dialog.setAttribute("aria-labelledby", "session-expired-title");
    dialog.setAttribute("aria-describedby", "session-expired-text");
    if (loginLink) {
      loginLink.href = loginUrl + "?next=" + encodeURIComponent(window.location.pathname + window.location.search);
    }
    openDialog();
    if (loginLink) {
      loginLink.focus();
    }
  }

  function tick() {
    if (isExpired) {
      return;
    }
    readShared();
    var remaining = Math.round(idle - (Date.now() - lastContact) / 1000);
    if (remaining <= 0) {
      showExpired();
      return;
    }
    if (remaining <= warnBefore) {
      if (countdown) {
        countdown.textContent = formatRemaining(remaining);
      }
      openDialog();
    } else if (dialog.open) {
      // Another tab kept the session alive.
      closeDialog();
    }
  }

  function keepAlive() {
    var request = new XMLHttpRequest();
    request.open("POST", keepaliveUrl, true);
    request.setRequestHeader("X-CSRFToken", csrfToken());
    request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    request.onload = function () {
      if (request.status === 204) {
        touch();
        if (status) {
          status.textContent = "";
        }
        closeDialog();
      } else {
        showExpired();
      }
    };
    request.onerror = function () {
      if (status) {
        status.textContent = dialog.getAttribute("data-offline-text") || "";
      }
    };
    request.send();
  }

  if (continueButton) {
    continueButton.addEventListener("click", keepAlive);
  }
  // Escape means "I am here": keep the session rather than leave the warning unanswered.
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    if (!isExpired) {
      keepAlive();
    }
  });
  // Every htmx request (autosave …) slides the server-side expiry too.
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail && event.detail.xhr;
    if (xhr && xhr.status && xhr.status < 400) {
      touch();
    }
  });
  window.addEventListener("storage", function (event) {
    if (event.key === storageKey) {
      tick();
    }
  });
  touch();
  window.setInterval(tick, 1000);
})();
