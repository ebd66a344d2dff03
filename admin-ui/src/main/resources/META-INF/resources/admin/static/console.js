// Hands the server's chart data (a data-chart attribute) to uPlot, on load and after each htmx swap.
// No drawing here: uPlot draws; this only maps {x, series} to its options.
(function () {
  var palette = ["#1565c0", "#e65100", "#2e7d32", "#6a1b9a", "#c62828", "#00838f", "#5d4037", "#ad1457"];
  function render(root) {
    (root || document).querySelectorAll("[data-chart]").forEach(function (el) {
      var d = JSON.parse(el.getAttribute("data-chart"));
      if (!d.x.length) { el.textContent = "no points yet"; return; }
      el.textContent = "";
      var opts = {
        title: d.title, width: Math.min(760, el.parentElement.clientWidth || 760), height: 240,
        scales: { x: { time: false } }, axes: [{ label: d.xLabel }, {}],
        series: [{ label: d.xLabel }].concat(d.series.map(function (s, i) {
          return { label: s.label, stroke: palette[i % palette.length], width: 2, spanGaps: true, points: { show: true, size: 5 } };
        }))
      };
      new uPlot(opts, [d.x].concat(d.series.map(function (s) { return s.values; })), el);
      el.setAttribute("data-rendered", String(d.x.length));
    });
  }
  document.addEventListener("DOMContentLoaded", function () { render(document); });
  document.body.addEventListener("htmx:afterSettle", function (e) { render(e.target); });
})();
