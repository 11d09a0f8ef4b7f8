/* parindex: buttons marked .js-print print the page (no inline handlers under the CSP). */
(function () {
  "use strict";
  document.querySelectorAll(".js-print").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
