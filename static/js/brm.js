/* BRM Office: the little behaviour the pages need, as a file (the CSP runs no inline script). */
(function () {
  "use strict";
  // A one-time secret (a new API key) is selected when focused, ready to copy.
  function selectOnFocus(root) {
    root.querySelectorAll("[data-select-on-focus]").forEach(function (input) {
      input.addEventListener("focus", function () { input.select(); });
      if (document.activeElement === input) { input.select(); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { selectOnFocus(document); });
  document.addEventListener("htmx:load", function (event) { selectOnFocus(event.target); });
})();
