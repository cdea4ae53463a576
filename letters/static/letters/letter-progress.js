/* Progress of a letter batch, polled from its JSON endpoint. The page works without this
   file: reloading it shows the same figures. */
(function () {
  "use strict";

  function start(section) {
    var url = section.dataset.progressUrl;
    var field = function (name) { return section.querySelector('[data-field="' + name + '"]'); };

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data || data.batch === null) { return; }
          field("total").textContent = data.total;
          field("done").textContent = data.done;
          field("failed").textContent = data.failed;
          var bar = field("bar");
          bar.max = Math.max(data.total, 1);
          bar.value = data.done + data.failed;
          if (data.finished) {
            // The list of failures and the retry button come with the page itself.
            window.location.reload();
            return;
          }
          field("state").textContent = data.message;
          window.setTimeout(poll, 2000);
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }

    var hint = section.querySelector(".no-js-hint");
    if (hint) { hint.hidden = true; }
    window.setTimeout(poll, 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".letter-progress[data-finished='false']").forEach(start);
  });
})();
