// Steward's own behaviour: shortcuts, theme toggle, select-all, enhanced selects.
(function () {
  "use strict";

  function typing(event) {
    var t = event.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }

  // Tabler 1.x bundles Bootstrap's components under window.tabler, not window.bootstrap.
  function components() {
    return window.bootstrap || (window.tabler && window.tabler.Modal ? window.tabler : null);
  }

  function showShortcuts() {
    var modal = document.getElementById("shortcuts-modal");
    var bs = components();
    if (modal && bs) { bs.Modal.getOrCreateInstance(modal).show(); }
  }

  var pendingG = false;
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && event.target && event.target.id === "global-search") {
      event.target.blur();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) return;
    if (document.querySelector(".modal.show") && event.key !== "?") return;
    if (event.key === "/") {
      var search = document.getElementById("global-search");
      if (search) { event.preventDefault(); search.focus(); search.select(); }
    } else if (event.key === "?") {
      event.preventDefault();
      showShortcuts();
    } else if (event.key === "g") {
      pendingG = true; setTimeout(function () { pendingG = false; }, 1000); return;
    } else if (event.key === "h" && pendingG) {
      window.location.href = "/";
    } else {
      var target = document.querySelector('[data-shortcut="' + event.key + '"]');
      if (target) { event.preventDefault(); target.click(); }
    }
    pendingG = false;
  });

  document.addEventListener("click", function (event) {
    if (!event.target.closest) return;
    if (event.target.closest("[data-theme-toggle]")) {
      var root = document.documentElement;
      var next = root.getAttribute("data-bs-theme") === "dark" ? "light" : "dark";
      root.setAttribute("data-bs-theme", next);
      try { localStorage.setItem("steward-theme", next); } catch (e) { /* private mode: this page only */ }
    } else if (event.target.closest("[data-shortcuts-open]")) {
      showShortcuts();
    }
  });

  // Saving the theme in the profile makes the account's choice win over this browser's toggle.
  document.addEventListener("submit", function (event) {
    if (event.target.querySelector && event.target.querySelector("select[name=theme]")) {
      try { localStorage.removeItem("steward-theme"); } catch (e) { /* nothing stored */ }
    }
  });

  document.addEventListener("change", function (event) {
    var all = event.target.closest && event.target.closest("input[data-select-all]");
    if (all) {
      var table = all.closest("table");
      table.querySelectorAll('tbody input[type="checkbox"][name="pk"]').forEach(function (box) { box.checked = all.checked; });
    }
  });

  function enhance(root) {
    if (!window.TomSelect) return;
    root.querySelectorAll("select[data-remote-url]:not(.tomselected)").forEach(function (el) {
      var url = el.dataset.remoteUrl;
      new window.TomSelect(el, {
        valueField: "id", labelField: "display", searchField: [], maxOptions: 50,
        shouldLoad: function (query) { return query.length > 0; },
        load: function (query, callback) {
          fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(query), { credentials: "same-origin" })
            .then(function (r) { return r.json(); })
            .then(function (data) { callback(data.results || []); })
            .catch(function () { callback(); });
        },
      });
    });
    root.querySelectorAll("select[multiple]:not(.tomselected), select.form-select:not(.tomselected)").forEach(function (el) {
      if (el.options.length > 8 || el.multiple) {
        new window.TomSelect(el, { plugins: el.multiple ? ["remove_button"] : [], maxOptions: 500 });
        // The original stays in the form for submission; assistive tech should meet only the combobox.
        el.setAttribute("aria-hidden", "true");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhance(event.target); });
})();
