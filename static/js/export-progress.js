/* Follows an export the background worker is writing (templates/measurements/export_status.html).
 *
 * While the page's #np-export region carries data-refresh-seconds, the page is fetched again
 * every so many seconds and the region (heading, progress, then the download link) is replaced
 * by the new one; when the heading changes, it is announced through #np-export-announce. The
 * page works without it: its «Reload now» link does the same. No inline script (CSP).
 */
(function () {
  "use strict";

  var region = document.getElementById("np-export");
  var announce = document.getElementById("np-export-announce");
  if (!region || !window.fetch || !window.DOMParser) {
    return;
  }
  var LONGEST = 2 * 60 * 60 * 1000; // stop asking after two hours
  var started = Date.now();

  function heading(element) {
    var h1 = element.querySelector("h1");
    return h1 ? h1.textContent.trim() : "";
  }

  function schedule() {
    var seconds = parseInt(region.getAttribute("data-refresh-seconds"), 10);
    if (seconds > 0 && Date.now() - started < LONGEST) {
      window.setTimeout(update, seconds * 1000);
    }
  }

  function update() {
    window
      .fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("np-export");
        if (!fresh) {
          return;
        }
        var before = heading(region);
        region.innerHTML = fresh.innerHTML;
        if (fresh.hasAttribute("data-refresh-seconds")) {
          region.setAttribute("data-refresh-seconds", fresh.getAttribute("data-refresh-seconds"));
        } else {
          region.removeAttribute("data-refresh-seconds");
        }
        if (page.title) {
          document.title = page.title;
        }
        var after = heading(region);
        if (announce && after && after !== before) {
          announce.textContent = after;
        }
        schedule();
      })
      .catch(function () {
        schedule(); // a lost connection: try again
      });
  }

  schedule();
})();
