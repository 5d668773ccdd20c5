/* Draws every <canvas data-chart="ID"> from the JSON in <script id="ID">; the table beside
   each chart carries the same numbers for screen readers and printing. */
(function () {
  "use strict";
  var COLORS = ["#198754", "#0d6efd", "#fd7e14", "#dc3545", "#6f42c1", "#20c997"];

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source || !window.Chart || window.Chart.getChart(canvas)) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var valueAxis = {beginAtZero: true, ticks: {precision: 0}};
    if (spec.percent) {
      valueAxis.max = 100;
    }
    var scales = spec.horizontal ? {x: valueAxis} : {y: valueAxis};
    new window.Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (d, i) {
          return {label: d.label, data: d.data, backgroundColor: COLORS[i % COLORS.length]};
        })
      },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {legend: {display: spec.datasets.length > 1, position: "bottom"}},
        scales: scales
      }
    });
  }

  function drawAll() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
