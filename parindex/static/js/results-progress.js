/* Bootstrap progress bars without inline styles (CSP style-src 'self'): the width comes
   from data-percent, set through the CSSOM when the page loads and whenever htmx swaps in
   a new fragment (the results computation polls its progress every second). */
(function () {
  "use strict";

  function apply(root) {
    if (!root || !root.querySelectorAll) {
      return;
    }
    var bars = Array.prototype.slice.call(root.querySelectorAll(".progress-bar[data-percent]"));
    if (root.matches && root.matches(".progress-bar[data-percent]")) {
      bars.push(root);
    }
    bars.forEach(function (bar) {
      var percent = parseInt(bar.getAttribute("data-percent"), 10);
      if (isNaN(percent)) {
        percent = 0;
      }
      bar.style.width = Math.max(0, Math.min(100, percent)) + "%";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    apply(document);
  });
  document.addEventListener("htmx:load", function (event) {
    apply(event.detail && event.detail.elt ? event.detail.elt : event.target);
  });
})();
