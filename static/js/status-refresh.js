/* Keeps a status region up to date while work goes on in the background: every
 * data-refresh-seconds seconds the page is fetched again and the region's content replaced by
 * the new one, until the new region no longer asks to be refreshed (the work is done). The
 * region is a live region (role="status"), so a screen reader reads what changed; nothing
 * else on the page moves and focus stays where it is.
 *
 * Optional: without it the page shows the state it was loaded in and a «Reload now» link.
 * Used by templates/municipalities/report_archive.html; no inline script (CSP).
 */
(function () {
  "use strict";

  var region = document.querySelector("[data-refresh-seconds]");
  if (!region || !window.fetch || !window.DOMParser) {
    return;
  }
  var seconds = parseInt(region.getAttribute("data-refresh-seconds"), 10);
  var url = region.getAttribute("data-refresh-url") || window.location.href;
  if (!(seconds > 0)) {
    return;
  }
  var failures = 0;

  function schedule() {
    window.setTimeout(refresh, seconds * 1000);
  }

  function refresh() {
    window
      .fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser()
          .parseFromString(html, "text/html")
          .getElementById(region.id);
        if (!fresh) {
          return;
        }
        failures = 0;
        region.innerHTML = fresh.innerHTML;
        if (fresh.hasAttribute("data-refresh-seconds")) {
          schedule();
        } else {
          region.removeAttribute("data-refresh-seconds");
        }
      })
      .catch(function () {
        failures += 1;
        if (failures < 5) {
          schedule();
        }
      });
  }

  schedule();
})();
