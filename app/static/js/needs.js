// Needs form: keep what is typed in localStorage until the server has saved it (so a session
// that expired loses nothing after re-login), and show similar needs and measures while typing.
(function () {
  "use strict";

  var FIELDS = ["title", "business", "stage", "tags", "law_name", "law_article", "law_unknown",
    "interpretation", "obstacle", "relief", "evidence", "urgency", "confidentiality", "public_summary"];

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function readForm(form) {
    var data = {};
    FIELDS.forEach(function (name) {
      var el = form.elements[name];
      if (!el) { return; }
      data[name] = el.type === "checkbox" ? el.checked : el.value;
    });
    return data;
  }

  function restore(form, key) {
    var store = storage();
    var saved = store && store.getItem(key);
    if (!saved || form.querySelector("[aria-invalid=true]")) { return; }
    var data;
    try { data = JSON.parse(saved); } catch (e) { return; }
    var changed = false;
    FIELDS.forEach(function (name) {
      var el = form.elements[name];
      if (!el || !(name in data)) { return; }
      if (el.type === "checkbox") {
        if (el.checked !== data[name]) { el.checked = data[name]; changed = true; }
      } else if (el.value !== data[name] && data[name] !== "") {
        el.value = data[name]; changed = true;
      }
    });
    if (changed) {
      var msg = document.getElementById("draft-restored-msg");
      var note = document.createElement("p");
      note.className = "flash flash-info";
      note.setAttribute("data-testid", "draft-restored");
      note.textContent = msg ? msg.textContent : "";
      form.parentNode.parentNode.insertBefore(note, form.parentNode);
    }
  }

  function renderList(box, items, showStatus) {
    box.textContent = "";
    var heading = document.createElement("h3");
    heading.textContent = box.getAttribute("data-heading");
    box.appendChild(heading);
    if (!items.length) {
      var none = document.createElement("p");
      none.className = "muted";
      none.textContent = box.getAttribute("data-none");
      box.appendChild(none);
      return;
    }
    var list = document.createElement("ol");
    list.className = "suggestions";
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "suggestion";
      var link = document.createElement("a");
      link.href = item.url;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = item.title;
      li.appendChild(link);
      if (showStatus && item.status) {
        var status = document.createElement("span");
        status.className = "status";
        status.textContent = item.status;
        li.appendChild(document.createTextNode(" "));
        li.appendChild(status);
      }
      var why = document.createElement("p");
      why.className = "muted suggestion-reasons";
      why.textContent = item.reasons.join(" · ");
      li.appendChild(why);
      if (item.summary) {
        var summary = document.createElement("p");
        summary.className = "suggestion-summary";
        summary.textContent = item.summary;
        li.appendChild(summary);
      }
      list.appendChild(li);
    });
    box.appendChild(list);
  }

  function suggest(form) {
    var url = form.getAttribute("data-similar-url");
    var data = readForm(form);
    var params = new URLSearchParams({
      title: data.title || "", business: data.business || "", obstacle: data.obstacle || "",
      relief: data.relief || "", tags: data.tags || "", law: data.law_name || ""
    });
    if (form.getAttribute("data-exclude")) { params.set("exclude", form.getAttribute("data-exclude")); }
    fetch(url + "?" + params.toString(), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (result) {
        if (!result) { return; }
        var empty = document.getElementById("similar-empty");
        if (empty) { empty.hidden = true; }
        renderList(document.getElementById("similar-needs"), result.needs, true);
        renderList(document.getElementById("similar-measures"), result.measures, false);
      })
      .catch(function () { /* suggestions are a help, not a requirement */ });
  }

  // On a narrow screen the similar-needs panel goes right after the title field, where the person
  // typing the title sees the suggestions; on a wide one it stays beside the form (same breakpoint
  // as the CSS single-column layout).
  function placePanel(form) {
    var panel = document.getElementById("similar-panel");
    var title = form.elements.title && form.elements.title.closest(".field");
    if (!panel || !title || !window.matchMedia) { return; }
    var home = panel.parentNode;
    var narrow = window.matchMedia("(max-width: 760px)");
    function place() {
      if (narrow.matches) {
        title.parentNode.insertBefore(panel, title.nextSibling);
        panel.classList.add("similar-panel-inline");
      } else if (panel.parentNode !== home) {
        home.appendChild(panel);
        panel.classList.remove("similar-panel-inline");
      }
    }
    place();
    if (narrow.addEventListener) { narrow.addEventListener("change", place); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var saved = document.getElementById("draft-saved");
    var store = storage();
    if (saved && store) {
      saved.getAttribute("data-draft-saved").split(" ").forEach(function (key) { store.removeItem(key); });
    }
    var form = document.getElementById("need-form");
    if (!form) { return; }
    var key = form.getAttribute("data-draft-key");
    restore(form, key);
    var timer = null;
    function changed() {
      if (store) { store.setItem(key, JSON.stringify(readForm(form))); }
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { suggest(form); }, 400);
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    placePanel(form);
    if (form.elements.title && form.elements.title.value) { suggest(form); }
  });
})();
