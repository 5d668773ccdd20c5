/* Pickers (config/pickers.py): htmx fetches the results as one types; this file only adds
   the keyboard:
   - Enter in the search box searches now instead of sending the form, and ticks the only
     result when there is just one;
   - the down arrow moves from the box to the first result.
   Without JavaScript the box is sent with the form and matched on the server. */
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    var box = event.target instanceof Element ? event.target : null;
    if (!box || !box.matches("[data-picker] > input[type=search]")) {
      return;
    }
    var picker = box.closest("[data-picker]");
    var radios = picker.querySelectorAll(".picker-results input[type=radio]:not([value=''])");
    if (event.key === "Enter") {
      event.preventDefault();
      if (radios.length === 1) {
        radios[0].checked = true;
      }
      box.dispatchEvent(new Event("search", { bubbles: true }));
    } else if (event.key === "ArrowDown" && radios.length) {
      event.preventDefault();
      radios[0].focus();
    }
  });
})();
