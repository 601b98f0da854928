// Draws every dashboard chart from the JSON data block its canvas names (no inline script: CSP).
(function () {
  "use strict";
  var PALETTE = ["#206bc4", "#2fb344", "#f59f00", "#d63939", "#ae3ec9", "#17a2b8", "#f76707", "#74b816"];

  function draw(canvas) {
    if (!window.Chart || canvas.dataset.drawn) return;
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    var many = (spec.datasets || []).length > 1;
    var round = spec.type === "doughnut" || spec.type === "pie";
    var datasets = (spec.datasets || []).map(function (ds, i) {
      var colour = round ? PALETTE : PALETTE[i % PALETTE.length];
      return Object.assign({ backgroundColor: colour, borderColor: colour }, ds);
    });
    new window.Chart(canvas, {
      type: spec.type || "bar",
      data: { labels: spec.labels || [], datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: many || round } },
        scales: round ? {} : { y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
    canvas.dataset.drawn = "1";
  }

  function drawAll(root) { root.querySelectorAll("canvas[data-chart]").forEach(draw); }
  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { drawAll(event.target); });
})();
