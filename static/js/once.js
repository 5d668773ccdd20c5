/* A form marked data-once is sent once: after the first submit its submit buttons are
   disabled, so a second tap sends nothing. Without JavaScript the form's hidden key does the
   same on the server (accounts/once.py). */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-once")) {
      return;
    }
    if (form.getAttribute("data-once-sent")) {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-once-sent", "1");
    // Disabled after the event, so the tapped button's name and value are still sent.
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
        b.disabled = true;
      });
    }, 0);
  });
  // Back to a page kept in the browser's cache: the form may be sent again (the server answers
  // a repeat of the same key like the first post).
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    document.querySelectorAll("form[data-once-sent]").forEach(function (form) {
      form.removeAttribute("data-once-sent");
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
        b.disabled = false;
      });
    });
  });
})();
