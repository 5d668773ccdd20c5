/* A table wider than the phone scrolls sideways inside its box (.table-responsive): such a box
   can be reached and scrolled with the keyboard too (it takes the focus, and says what it is),
   and shows a shadow on the side where more of the table is hidden. */
(function () {
  "use strict";
  function mark(box) {
    var scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls) {
      if (!box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-scroll-x", "");
        var caption = box.querySelector("caption, h2, h3");
        // A plain box becomes a named region; a list or a table keeps its own meaning.
        if (box.tagName === "DIV" && !box.hasAttribute("aria-label") && !box.hasAttribute("role")) {
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", caption ? caption.textContent.trim() : (document.title || "").split(" · ")[0]);
        }
      }
      var left = box.scrollLeft > 0;
      var right = box.scrollLeft + box.clientWidth < box.scrollWidth - 1;
      box.classList.toggle("scroll-more-left", left);
      box.classList.toggle("scroll-more-right", right);
    } else if (box.hasAttribute("data-scroll-x")) {
      box.removeAttribute("tabindex");
      box.removeAttribute("data-scroll-x");
      box.classList.remove("scroll-more-left", "scroll-more-right");
    }
  }
  function markAll() {
    document.querySelectorAll(".table-responsive, .overflow-auto").forEach(mark);
  }
  document.addEventListener("scroll", function (event) {
    var box = event.target;
    if (box instanceof Element && box.hasAttribute("data-scroll-x")) {
      mark(box);
    }
  }, true);
  window.addEventListener("resize", markAll);
  document.addEventListener("htmx:afterSettle", markAll);
  markAll();
})();
