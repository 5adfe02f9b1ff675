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

  // Long forms keep their text in this browser until the server has saved it: every POST form
  // with a textarea (the need form has its own copy in needs.js). What is typed is stored under
  // "draft:<page>:<form>" as it is typed; a form shown again by the server with errors keeps the
  // server's values; the copy is dropped on the next page that confirms the save (a success or
  // info message), so an outage, an expired session or a closed tab loses nothing.
  var PENDING = "draft-pending";

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function draftKey(form, index) {
    return "draft:" + window.location.pathname + ":" + (form.getAttribute("action") || "") + ":" + index;
  }

  function draftFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      if (!el.name || el.name === "csrf_token" || el.name === "submission_key") { return false; }
      if (el.tagName === "TEXTAREA" || el.tagName === "SELECT") { return true; }
      return el.tagName === "INPUT" && ["text", "email", "url", "tel", "number", "date", "datetime-local", "search"].indexOf(el.type) >= 0;
    });
  }

  function keepDrafts() {
    var store = storage();
    if (!store) { return; }
    var pending = [];
    try { pending = JSON.parse(window.sessionStorage.getItem(PENDING) || "[]"); } catch (e) { pending = []; }
    if (pending.length && document.querySelector(".flash-success, .flash-info")) {
      pending.forEach(function (key) { store.removeItem(key); });
      window.sessionStorage.removeItem(PENDING);
    }
    var forms = document.querySelectorAll("form[method=post], form[method=POST]");
    Array.prototype.forEach.call(forms, function (form, index) {
      if (form.id === "need-form" || !form.querySelector("textarea")) { return; }
      var key = draftKey(form, index);
      var fields = draftFields(form);
      var saved = null;
      try { saved = JSON.parse(store.getItem(key) || "null"); } catch (e) { saved = null; }
      if (saved && !form.querySelector("[aria-invalid=true]")) {
        fields.forEach(function (el) {
          if (saved[el.name] !== undefined && saved[el.name] !== "") { el.value = saved[el.name]; }
        });
        form.setAttribute("data-draft-restored", "");
      }
      form.addEventListener("input", function () {
        var data = {};
        fields.forEach(function (el) { data[el.name] = el.value; });
        try { store.setItem(key, JSON.stringify(data)); } catch (e) { /* full: nothing kept */ }
      });
      form.addEventListener("submit", function () {
        var list = [];
        try { list = JSON.parse(window.sessionStorage.getItem(PENDING) || "[]"); } catch (e) { list = []; }
        if (list.indexOf(key) < 0) { list.push(key); }
        try { window.sessionStorage.setItem(PENDING, JSON.stringify(list)); } catch (e) { /* ignore */ }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", keepDrafts);

  // Character counters under fields with a length limit (data-maxlength, see macros/forms.html):
  // "123 / 5,000", a warning from 90 % and when over; the server refuses over-long text.
  function updateCounter(field, counter) {
    var limit = parseInt(field.getAttribute("data-maxlength"), 10);
    var used = field.value.length;
    var format = function (n) { return n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ","); };
    counter.textContent = format(used) + " / " + format(limit);
    counter.classList.toggle("char-count-near", used >= limit * 0.9 && used <= limit);
    counter.classList.toggle("char-count-over", used > limit);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var counters = document.querySelectorAll("[data-count-for]");
    Array.prototype.forEach.call(counters, function (counter) {
      var field = document.getElementById(counter.getAttribute("data-count-for"));
      if (!field || !field.hasAttribute("data-maxlength")) { return; }
      updateCounter(field, counter);
      field.addEventListener("input", function () { updateCounter(field, counter); });
    });
  });

  // Searchable picker for long multi-selects (<div data-picker> around the field): a filter box
  // narrows the visible options as one types, the chosen ones are listed under it. Without
  // JavaScript the plain multi-select works; hidden options keep their selection and are submitted.
  function setUpPicker(box) {
    var select = box.querySelector("select[multiple]");
    if (!select) { return; }
    var id = select.id + "-filter";
    var wrap = document.createElement("div");
    wrap.className = "picker-filter";
    var label = document.createElement("label");
    label.setAttribute("for", id);
    label.textContent = box.getAttribute("data-filter-label");
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.setAttribute("autocomplete", "off");
    input.setAttribute("aria-controls", select.id);
    input.setAttribute("aria-describedby", id + "-hint " + id + "-status");
    var hint = document.createElement("p");
    hint.className = "help";
    hint.id = id + "-hint";
    hint.textContent = box.getAttribute("data-filter-hint");
    var status = document.createElement("p");
    status.className = "help";
    status.id = id + "-status";
    status.setAttribute("aria-live", "polite");
    wrap.appendChild(label);
    wrap.appendChild(input);
    wrap.appendChild(hint);
    wrap.appendChild(status);
    var chosen = document.createElement("p");
    chosen.className = "picker-chosen";
    chosen.setAttribute("aria-live", "polite");
    var field = select.closest(".field") || select;
    field.parentNode.insertBefore(wrap, field);
    field.appendChild(chosen);

    function filter() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      Array.prototype.forEach.call(select.options, function (option) {
        var text = option.textContent.toLowerCase();
        var match = words.every(function (w) { return text.indexOf(w) >= 0; });
        option.hidden = !match;
        if (match) { shown += 1; }
      });
      status.textContent = shown + " / " + select.options.length + " " + box.getAttribute("data-shown-label");
    }
    function listChosen() {
      var names = Array.prototype.filter.call(select.options, function (o) { return o.selected; })
        .map(function (o) { return o.textContent; });
      chosen.textContent = box.getAttribute("data-chosen-label") + " " + (names.length ? names.join(" · ") : box.getAttribute("data-none-label"));
    }
    input.addEventListener("input", filter);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); select.focus(); }  // Enter moves to the list, never submits
    });
    select.addEventListener("change", listChosen);
    filter();
    listChosen();
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-picker]"), setUpPicker);
  });

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
