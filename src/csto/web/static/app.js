/*
 * csto web: small glue for htmx pages. Plain ES2019, no build step.
 *
 * - After an htmx swap (htmx:afterSwap) or an SSE message swap (htmx:sseMessage),
 *   dispatch `csto:refresh` to every svg.csto-map (coalesced, so a burst of events
 *   causes one map refresh).
 * - Forms with data-confirm="Question?" ask confirm() before submitting (plain and htmx forms).
 * - Every htmx request gets header X-CSRF-Token from <meta name="csrf-token" content="...">.
 */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") || "" : "";
  }

  // --- CSRF header on every htmx request
  document.addEventListener("htmx:configRequest", function (ev) {
    var token = csrfToken();
    if (token && ev.detail && ev.detail.headers) ev.detail.headers["X-CSRF-Token"] = token;
  });

  // --- map refresh after live updates
  var pending = null;

  function refreshMaps() {
    pending = null;
    var maps = document.querySelectorAll("svg.csto-map");
    Array.prototype.forEach.call(maps, function (svg) {
      var ev;
      try {
        ev = new CustomEvent("csto:refresh", { bubbles: true });
      } catch (e) {
        ev = document.createEvent("CustomEvent");
        ev.initCustomEvent("csto:refresh", true, false, null);
      }
      svg.dispatchEvent(ev);
    });
  }

  function scheduleRefresh() {
    if (pending === null) pending = setTimeout(refreshMaps, 150);
  }

  document.addEventListener("htmx:afterSwap", scheduleRefresh);
  document.addEventListener("htmx:sseMessage", scheduleRefresh);

  // --- confirm() for forms with data-confirm. Capture phase on document runs before
  // htmx's own submit listener on the form, so a "Cancel" stops the htmx request too.
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form || !form.hasAttribute || !form.hasAttribute("data-confirm")) return;
    var question = form.getAttribute("data-confirm") || "Are you sure?";
    if (!window.confirm(question)) {
      ev.preventDefault();
      ev.stopPropagation();
      if (ev.stopImmediatePropagation) ev.stopImmediatePropagation();
    }
  }, true);

  // --- live updates must not wipe what someone is typing: keep the panel's unsent text fields and
  // choices across a swap that a live update (not the user's own submit) triggered.
  var kept = null;
  document.addEventListener("htmx:beforeSwap", function (ev) {
    var elt = ev.detail && ev.detail.requestConfig && ev.detail.requestConfig.elt;
    if (!elt || elt.id !== "live") { kept = null; return; }
    var panel = document.getElementById("panel");
    if (!panel) return;
    kept = { values: {}, checked: {}, focus: document.activeElement && document.activeElement.id };
    Array.prototype.forEach.call(panel.querySelectorAll("input[id], textarea[id], select[id]"), function (el) {
      if (el.type !== "hidden" && el.value) kept.values[el.id] = el.value;
    });
    Array.prototype.forEach.call(panel.querySelectorAll("input[type=radio]:checked"), function (el) {
      kept.checked[el.name] = el.value;
    });
  });
  document.addEventListener("htmx:afterSwap", function () {
    if (!kept) return;
    var k = kept;
    kept = null;
    Object.keys(k.values).forEach(function (id) {
      var el = document.getElementById(id);
      if (el) el.value = k.values[id];
    });
    Object.keys(k.checked).forEach(function (name) {
      var el = document.querySelector('input[type=radio][name="' + name + '"][value="' + k.checked[name] + '"]');
      if (el) el.checked = true;
    });
    if (k.focus) {
      var f = document.getElementById(k.focus);
      if (f && f.focus) f.focus();
    }
  });

  window.cstoApp = { refreshMaps: refreshMaps, csrfToken: csrfToken };
})();
