/* The meeting record sheet: "Everyone present" marks every member left without a mark, and a
   reading of 180/110 or more shows its warning as it is typed. */
(function () {
  "use strict";
  var button = document.getElementById("all-present");
  if (button) {
    button.classList.remove("d-none");
    button.addEventListener("click", function () {
      document.querySelectorAll("[data-member-row]").forEach(function (row) {
        if (!row.querySelector('input[type=radio]:checked:not([value=""])')) {
          row.querySelector('input[type=radio][value="present"]').checked = true;
        }
      });
    });
  }
  document.querySelectorAll("details.reading").forEach(function (box) {
    var sys = box.querySelector("[data-bp=sys]"), dia = box.querySelector("[data-bp=dia]");
    var warn = box.querySelector("[data-bp-warning]");
    function check() {
      warn.hidden = !((parseInt(sys.value, 10) >= 180) || (parseInt(dia.value, 10) >= 110));
    }
    sys.addEventListener("input", check);
    dia.addEventListener("input", check);
    check();
  });
})();
