/* The meeting record sheet (month/meeting_record.html):
   - a search box that keeps the rows whose name contains what is typed, accents or not
     (each row's data-name is its folded name, config.text.fold);
   - "Everyone present" marks every member left without a mark;
   - a member marked absent or excused cannot have readings: the boxes are disabled;
   - a hint under a reading as it is typed: numbers swapped (80/120), out of range, very
     high, high (the thresholds of month/readings.py, carried by the row's data attributes).
   Texts come from the page (#sheet-texts). Without JavaScript the form works as before. */
(function () {
  "use strict";
  var form = document.getElementById("record-form");
  if (!form) {
    return;
  }
  var textsNode = document.getElementById("sheet-texts");
  var T = textsNode ? JSON.parse(textsNode.textContent) : {};
  var rows = Array.prototype.slice.call(form.querySelectorAll("[data-member-row]"));

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase().replace(/\s+/g, " ").trim();
  }

  // Search.
  var box = document.getElementById("sheet-search-box");
  var search = document.getElementById("sheet-search");
  var found = document.getElementById("sheet-found");
  if (box && search) {
    box.classList.remove("d-none");
    var filter = function () {
      var q = fold(search.value);
      var shown = 0;
      rows.forEach(function (row) {
        var hit = !q || (row.getAttribute("data-name") || "").indexOf(q) !== -1;
        row.hidden = !hit;
        if (hit) {
          shown += 1;
        }
      });
      found.textContent = q ? (T.found || "%(count)s/%(total)s")
        .replace("%(count)s", shown).replace("%(total)s", rows.length) : "";
    };
    search.addEventListener("input", filter);
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {  // Enter jumps to the first member found, not "save".
        event.preventDefault();
        var first = rows.find(function (row) { return !row.hidden; });
        if (first) {
          var radio = first.querySelector("input[type=radio]:checked") || first.querySelector("input[type=radio]");
          first.scrollIntoView({ block: "center" });
          if (radio) {
            radio.focus();
          }
        }
      }
    });
    form.addEventListener("sheet:restored", filter);
  }

  function mark(row) {
    var checked = row.querySelector("input[type=radio]:checked");
    return checked ? checked.value : "";
  }

  function hint(row) {
    var area = row.querySelector("[data-reading]");
    var out = row.querySelector("[data-hint]");
    if (!area || !out) {
      return;
    }
    var absent = mark(row) === "absent" || mark(row) === "excused";
    row.classList.toggle("is-absent", absent);
    area.querySelectorAll("input").forEach(function (input) {
      if (input.hasAttribute("data-no-consent-off")) {
        return;
      }
      input.disabled = absent || input.hasAttribute("data-locked");
    });
    var sysBox = area.querySelector("[data-bp=sys]"), diaBox = area.querySelector("[data-bp=dia]");
    var sys = parseInt(sysBox.value, 10), dia = parseInt(diaBox.value, 10);
    var data = area.dataset, message = "", danger = false;
    var typed = sysBox.value.trim() !== "" || diaBox.value.trim() !== "";
    if (absent && (typed || area.querySelector(".sheet-wt").value.trim() !== "")) {
      message = T.absent_reading;
    } else if (!isNaN(sys) && !isNaN(dia)) {
      if (dia >= sys) {
        message = T.swapped;
      } else if (sys < 60 || sys > 260 || dia < 30 || dia > 160) {
        message = T.implausible;
        danger = true;
      } else if (sys >= parseInt(data.unusualSys, 10) || dia >= parseInt(data.unusualDia, 10)) {
        message = T.very_high;
        danger = true;
      } else if (sys >= parseInt(data.highSys, 10) || dia >= parseInt(data.highDia, 10)) {
        message = T.high;
      }
    } else if (!isNaN(sys) && sys >= parseInt(data.unusualSys, 10) && sys <= 260) {
      message = T.very_high;
      danger = true;
    } else if (typed && document.activeElement !== sysBox && document.activeElement !== diaBox) {
      message = T.both;
    }
    out.textContent = message || "";
    out.hidden = !message;
    out.classList.toggle("is-danger", danger);
    out.toggleAttribute("data-bp-warning", danger);
  }

  rows.forEach(function (row) {
    // Boxes drawn disabled by the server (no consent) stay disabled.
    row.querySelectorAll("[data-reading] input[disabled]").forEach(function (input) {
      input.setAttribute("data-no-consent-off", "");
    });
    hint(row);
  });
  form.addEventListener("input", function (event) {
    var row = event.target.closest && event.target.closest("[data-member-row]");
    if (row) {
      hint(row);
    }
  });
  form.addEventListener("change", function (event) {
    var row = event.target.closest && event.target.closest("[data-member-row]");
    if (row) {
      hint(row);
    }
  });
  form.addEventListener("focusout", function (event) {
    var row = event.target.closest && event.target.closest("[data-member-row]");
    if (row) {
      window.setTimeout(function () { hint(row); }, 0);
    }
  });
  form.addEventListener("sheet:restored", function () {
    rows.forEach(hint);
  });

  // Typing readings down the sheet: three digits of a systolic number go on to the
  // diastolic box, and Enter ("next" on a phone's keypad) goes to the next box, never saves.
  function nextBox(input) {
    var boxes = Array.prototype.filter.call(form.querySelectorAll(".sheet-bp input"), function (box) {
      return !box.disabled && !box.closest("[data-member-row]").hidden;
    });
    var next = boxes[boxes.indexOf(input) + 1];
    if (next) {
      next.focus();
      next.select();
    }
  }
  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches && event.target.matches(".sheet-bp input")) {
      event.preventDefault();
      nextBox(event.target);
    }
  });
  form.addEventListener("input", function (event) {
    var box = event.target;
    if (event.isTrusted !== false && box.matches && box.matches(".sheet-sys") && box.value.length === 3) {
      nextBox(box);
    }
  });

  var everyone = document.getElementById("all-present");
  if (everyone) {
    everyone.classList.remove("d-none");
    everyone.addEventListener("click", function () {
      rows.forEach(function (row) {
        if (!mark(row)) {
          var present = row.querySelector('input[type=radio][value="present"]');
          present.checked = true;
          present.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
    });
  }
})();
