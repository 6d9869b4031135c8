/* Follows a file the background worker is making (templates/file_job_status.html, core/jobs.py).
 *
 * While the region #file-job carries data-refresh-seconds, its page (data-refresh-url) is
 * fetched again every so many seconds and the region (title, message, progress, then the
 * download link) replaced by the new one, with the page's title. When the state changes
 * (data-state), the new message is announced through the live region #file-job-announce;
 * nothing else on the page moves. It stops when the new region no longer asks to be
 * refreshed (the work is done), after two hours, or after five failed requests in a row.
 *
 * Optional: without it the page shows the state it was loaded in and a «Reload now» link.
 * No inline script (CSP).
 */
(function () {
  "use strict";

  var region = document.getElementById("file-job");
  var announce = document.getElementById("file-job-announce");
  if (!region || !window.fetch || !window.DOMParser) {
    return;
  }
  var LONGEST = 2 * 60 * 60 * 1000; // stop asking after two hours
  var TRIES = 5; // failed requests in a row before giving up
  var COPIED = ["data-state", "data-refresh-seconds", "data-refresh-url"];
  var started = Date.now();
  var failures = 0;

  function schedule() {
    var seconds = parseInt(region.getAttribute("data-refresh-seconds"), 10);
    if (seconds > 0 && failures < TRIES && Date.now() - started < LONGEST) {
      window.setTimeout(update, seconds * 1000);
    }
  }

  function message(element) {
    var alert = element.querySelector(".ds-alert");
    return alert ? alert.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function update() {
    var url = region.getAttribute("data-refresh-url") || window.location.href;
    window
      .fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById(region.id);
        if (!fresh) {
          return;
        }
        failures = 0;
        var before = region.getAttribute("data-state");
        region.innerHTML = fresh.innerHTML;
        COPIED.forEach(function (name) {
          if (fresh.hasAttribute(name)) {
            region.setAttribute(name, fresh.getAttribute(name));
          } else {
            region.removeAttribute(name);
          }
        });
        if (page.title) {
          document.title = page.title;
        }
        if (announce && region.getAttribute("data-state") !== before) {
          announce.textContent = message(region);
        }
        schedule();
      })
      .catch(function () {
        failures += 1; // a lost connection: try again
        schedule();
      });
  }

  schedule();
})();
