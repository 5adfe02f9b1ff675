// Forms with data-draft-key (other than the needs form, see needs.js): keep what is typed in
// localStorage until the server has saved it, and offer it back when the form is opened again.
// The page after a save names the keys to drop: <span id="draft-saved" data-draft-saved="key ...">.
(function () {
  "use strict";

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrf_token" && el.type !== "file" && el.type !== "submit" && el.type !== "hidden";
    });
  }

  function readForm(form) {
    var data = {};
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        data[el.name + "=" + el.value] = el.checked;
      } else {
        data[el.name] = el.value;
      }
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
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        var k = el.name + "=" + el.value;
        if (k in data && el.checked !== data[k]) { el.checked = data[k]; changed = true; }
      } else if (el.name in data && data[el.name] !== "" && el.value !== data[el.name]) {
        el.value = data[el.name]; changed = true;
      }
    });
    if (changed) {
      var msg = document.getElementById("draft-restored-msg");
      var note = document.createElement("p");
      note.className = "flash flash-info";
      note.setAttribute("data-testid", "draft-restored");
      note.textContent = msg ? msg.textContent : "";
      form.parentNode.insertBefore(note, form);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var store = storage();
    var saved = document.getElementById("draft-saved");
    if (saved && store) {
      saved.getAttribute("data-draft-saved").split(" ").forEach(function (key) { store.removeItem(key); });
    }
    Array.prototype.forEach.call(document.querySelectorAll("form[data-draft-key]:not(#need-form)"), function (form) {
      var key = form.getAttribute("data-draft-key");
      restore(form, key);
      function changed() { if (store) { store.setItem(key, JSON.stringify(readForm(form))); } }
      form.addEventListener("input", changed);
      form.addEventListener("change", changed);
    });
  });
})();
