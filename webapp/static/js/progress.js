// Draw the progress chart from the JSON the page carries; the table below it holds the same numbers.
(function () {
  "use strict";
  var source = document.getElementById("score-data");
  var canvas = document.getElementById("score-chart");
  if (!source || !canvas || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var FEW_PERIODS = 3;  // so few points are drawn large and away from the axes, not as a dot at the edge
  var TOPICS_SHOWN = 5;  // more lines than this are a tangle; the rest start hidden, one click away in the legend
  var few = data.labels.length <= FEW_PERIODS;
  var palette = ["#2f6f5e", "#3b6fb6", "#b7791f", "#9b3fa3", "#c53030", "#2c7a7b", "#6b7280", "#8a6d3b",
                 "#4c51bf", "#d53f8c", "#38a169", "#dd6b20"];
  // The topics with the most periods answered are the ones shown at first.
  var periodsAnswered = function (pair) { return pair[1].filter(function (mean) { return mean !== null; }).length; };
  var shown = data.lines.filter(function (pair) { return pair[0] !== ""; })
    .sort(function (a, b) { return periodsAnswered(b) - periodsAnswered(a); })
    .slice(0, TOPICS_SHOWN).map(function (pair) { return pair[0]; });
  var datasets = data.lines.map(function (pair, index) {
    var slug = pair[0];
    var overall = slug === "";
    return {
      label: data.names[slug],
      data: pair[1],
      borderColor: palette[index % palette.length],
      backgroundColor: palette[index % palette.length],
      borderWidth: overall ? 3 : 1.5,
      pointRadius: data.labels.length > 40 ? 0 : few ? 6 : 3,
      spanGaps: true,
      hidden: !overall && shown.indexOf(slug) === -1,
      tension: 0.2
    };
  });
  canvas.chart = new Chart(canvas, {
    type: "line",
    data: { labels: data.labels, datasets: datasets },
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: "nearest", intersect: false },
      scales: { x: { offset: few }, y: { min: 0, max: 100 } },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } }
    }
  });
})();
