// Behaviour for every page. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  // Ask before destructive actions: <form data-confirm="...">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      return;
    }
    // Unsaved form copies ("draft:" keys, see needs.js) must not outlive the session on a shared computer.
    if (form.hasAttribute && form.hasAttribute("data-clear-drafts")) {
      clearDrafts();
    }
  });

  function clearDrafts() {
    try {
      var store = window.localStorage;
      for (var i = store.length - 1; i >= 0; i--) {
        var key = store.key(i);
        if (key && key.indexOf("draft:") === 0) { store.removeItem(key); }
      }
    } catch (e) { /* storage unavailable: nothing kept */ }
  }

  // The menu button on narrow screens.
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("site-nav");
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = nav.classList.toggle("open");
        toggle.closest(".site-header").classList.toggle("nav-open", open);  // shows the account row too
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
  });
})();
