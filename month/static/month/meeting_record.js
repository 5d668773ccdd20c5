/* The meeting record sheet: "Everyone present" marks every member left without a mark, and a
   very high reading (the thresholds of month/readings.py, carried by each reading box's data
   attributes) shows its warning as it is typed. */
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
    var highSys = parseInt(box.dataset.unusualSys, 10), highDia = parseInt(box.dataset.unusualDia, 10);
    function check() {
      warn.hidden = !((parseInt(sys.value, 10) >= highSys) || (parseInt(dia.value, 10) >= highDia));
    }
    sys.addEventListener("input", check);
    dia.addEventListener("input", check);
    check();
  });
})();
