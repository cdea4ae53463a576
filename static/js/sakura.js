/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";

  var lang = document.documentElement.lang;
  var words = lang === "ja"
    ? { closed: "締切済み", left: function (d, h, m) { return d > 0 ? "残り " + d + " 日 " + h + " 時間" : "残り " + h + " 時間 " + m + " 分"; } }
    : { closed: "closed", left: function (d, h, m) { return d > 0 ? d + (d === 1 ? " day " : " days ") + h + " h left" : h + " h " + m + " min left"; } };

  function tick() {
    var now = Date.now();
    document.querySelectorAll(".countdown[data-deadline]").forEach(function (el) {
      var seconds = Math.floor((Date.parse(el.dataset.deadline) - now) / 1000);
      if (seconds <= 0) { el.textContent = words.closed; return; }
      var d = Math.floor(seconds / 86400), h = Math.floor(seconds % 86400 / 3600), m = Math.floor(seconds % 3600 / 60);
      el.textContent = words.left(d, h, m);
    });
  }

  function focusErrorSummary() {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  }

  // A table's rows changed in place (htmx): the keyboard goes on in the row just added, or,
  // after a removal, on the table's "Add a row" button.
  function focusAfterRows(event) {
    var added = document.querySelector("[data-new-row]");
    if (added) {
      added.removeAttribute("data-new-row");
      var field = added.querySelector("input:not([type=hidden]), select, textarea");
      if (field) { field.focus(); }
      return;
    }
    var swapped = event.detail && event.detail.target && event.detail.target.id;
    var table = swapped && document.getElementById(swapped);
    // Errors came back in place: the keyboard goes to their summary, as after a page load.
    var summary = table && table.querySelector(".error-summary[tabindex]");
    if (summary) { summary.focus(); return; }
    var add = table && table.querySelector("button[name=add_row]");
    if (add && (document.activeElement === document.body || !document.activeElement)) { add.focus(); }
  }

  // Every answer is swapped in (base.html's htmx-config): a boosted form's is a whole page,
  // its errors (400) included, shown as a page load would show them. A part of a page (a
  // table's rows) is not replaced by an error page: that stays htmx's default.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status >= 400 && !event.detail.boosted) { event.detail.shouldSwap = false; }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    // A boosted form came back as a whole page: as after a page load.
    if (event.detail.boosted) { focusErrorSummary(); return; }
    focusAfterRows(event);
  });

  document.addEventListener("DOMContentLoaded", function () {
    tick();
    setInterval(tick, 30000);
    focusErrorSummary();
  });
})();
