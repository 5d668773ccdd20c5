/* A member's blood pressure and weight: draws every <canvas data-member-chart="ID"> from the
   JSON in <script id="ID">, with the line labels the canvas carries (data-label-*). */
(function () {
  "use strict";
  document.querySelectorAll("canvas[data-member-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.getAttribute("data-member-chart"));
    if (!source || !window.Chart || window.Chart.getChart(canvas)) {
      return;
    }
    var data = JSON.parse(source.textContent);
    new window.Chart(canvas, {
      type: "line",
      data: {labels: data.labels, datasets: [
        {label: canvas.dataset.labelSystolic, data: data.systolic, borderColor: "#dc3545", spanGaps: true, yAxisID: "bp"},
        {label: canvas.dataset.labelDiastolic, data: data.diastolic, borderColor: "#fd7e14", spanGaps: true, yAxisID: "bp"},
        {label: canvas.dataset.labelWeight, data: data.weight, borderColor: "#0d6efd", spanGaps: true, yAxisID: "kg"}
      ]},
      options: {maintainAspectRatio: false, animation: false, scales: {bp: {position: "left"}, kg: {position: "right", grid: {drawOnChartArea: false}}}}
    });
  });
})();
