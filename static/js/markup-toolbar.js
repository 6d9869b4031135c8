/* A small formatting toolbar (bold, list, link) above every <textarea data-markup>.
 *
 * Optional: the page works without it, since the markup is typed text. The buttons and their
 * translated labels come from <template id="np-markup-toolbar"> in
 * templates/municipalities/includes/markup_help.html; no inline script (CSP).
 */
(function () {
  "use strict";

  var template = document.getElementById("np-markup-toolbar");
  if (!template || !("content" in template)) {
    return;
  }

  function lineStart(value, position) {
    return value.lastIndexOf("\n", position - 1) + 1;
  }

  function apply(area, action) {
    var value = area.value;
    var start = area.selectionStart;
    var end = area.selectionEnd;
    var selected = value.slice(start, end);
    var text;
    var selectFrom;
    var selectTo;
    if (action === "bold") {
      text = "**" + selected + "**";
      selectFrom = start + 2;
      selectTo = selectFrom + selected.length;
    } else if (action === "list") {
      start = lineStart(value, start);
      selected = value.slice(start, end);
      text = selected
        .split("\n")
        .map(function (line) {
          return /^- /.test(line) ? line : "- " + line;
        })
        .join("\n");
      selectFrom = start + text.length;
      selectTo = selectFrom;
    } else if (action === "link") {
      text = "[" + selected + "](https://)";
      selectFrom = start + selected.length + 3;
      selectTo = selectFrom + "https://".length;
      if (!selected) {
        selectFrom = start + 1;
        selectTo = selectFrom;
      }
    } else {
      return;
    }
    area.focus();
    area.setRangeText(text, start, end, "end");
    area.setSelectionRange(selectFrom, selectTo);
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.querySelectorAll("textarea[data-markup]").forEach(function (area) {
    var bar = template.content.firstElementChild.cloneNode(true);
    if (area.id) {
      bar.setAttribute("aria-controls", area.id);
    }
    bar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-markup-action]");
      if (button) {
        event.preventDefault();
        apply(area, button.getAttribute("data-markup-action"));
      }
    });
    area.parentNode.insertBefore(bar, area);
  });
})();
