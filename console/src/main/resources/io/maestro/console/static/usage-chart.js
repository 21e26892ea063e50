// Switchboard: draws the usage page's cost-by-day chart with uPlot from the figure's data
// attributes. Loaded as a file (the console's Content-Security-Policy allows no inline script); the
// same figures are in the table under the chart.
(function () {
  "use strict";

  function numbers(text) {
    return text ? text.split(",").map(Number) : [];
  }

  // Small costs (a few runs cost fractions of a cent) keep two significant digits.
  function money(v) {
    return v === 0 ? "$0" : "$" + (Math.abs(v) >= 1 ? v.toFixed(2) : Number(v.toPrecision(2)));
  }

  function draw(box) {
    if (typeof uPlot === "undefined") {
      return;
    }
    var days = numbers(box.getAttribute("data-days"));
    var costs = numbers(box.getAttribute("data-costs"));
    var style = getComputedStyle(document.documentElement);
    var accent = style.getPropertyValue("--mc-accent").trim() || "#0b5cad";
    var width = Math.max(320, Math.min(box.clientWidth || 800, 1100));
    var chart = new uPlot(
      {
        width: width,
        height: 260,
        scales: { x: { time: true } },
        axes: [{}, { label: "USD", values: function (u, vals) { return vals.map(money); } }],
        series: [
          {},
          { label: "Cost (USD)", stroke: accent, width: 2, fill: accent + "22", points: { show: true } }
        ]
      },
      [days, costs],
      box
    );
    box.setAttribute("data-drawn", String(days.length));
    return chart;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("usage-chart");
    if (box) {
      draw(box);
    }
  });
})();
