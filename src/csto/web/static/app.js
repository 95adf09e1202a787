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

  window.cstoApp = { refreshMaps: refreshMaps, csrfToken: csrfToken };
})();
