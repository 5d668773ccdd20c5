/* Small behaviours of every page, in a file (the Content-Security-Policy allows no inline
   script or handler):
   - a button with data-print prints the page;
   - a button with data-confirm="question" goes ahead only if the question is answered yes. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) {
      return;
    }
    var ask = target.closest("[data-confirm]");
    if (ask && !window.confirm(ask.getAttribute("data-confirm"))) {
      event.preventDefault();
      return;
    }
    if (target.closest("[data-print]")) {
      window.print();
    }
  });
})();
