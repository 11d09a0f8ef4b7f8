/* parindex: horizontal bar chart of the index per unit on a results page.
   Data comes from the page's <script type="application/json" id="du-lieu-bieu-do"> (Django's
   json_script): labels, values (engine's rounded index as decimal strings), display (the
   same numbers formatted Vietnamese style), mean. Nothing is computed here but geometry. */
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("du-lieu-bieu-do");
    var canvas = document.getElementById("bieu-do-chi-so");
    var box = document.getElementById("bieu-do-khung");
    if (!source || !canvas || !box || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var values = data.values.map(function (text) { return parseFloat(text); });

    // One bar row per unit: grow the box for long groups (CSSOM, allowed by the CSP).
    var height = Math.max(320, data.labels.length * 22 + 60);
    box.style.height = height + "px";

    var style = getComputedStyle(document.documentElement);
    var primary = style.getPropertyValue("--bs-primary").trim() || "#0d6efd";
    var muted = style.getPropertyValue("--bs-secondary-color").trim() || "#6c757d";

    var meanPlugin = {
      id: "duongTrungBinh",
      afterDatasetsDraw: function (chart) {
        if (data.mean === null || data.mean === undefined) {
          return;
        }
        var x = chart.scales.x.getPixelForValue(parseFloat(data.mean));
        var area = chart.chartArea;
        var ctx = chart.ctx;
        ctx.save();
        ctx.strokeStyle = muted;
        ctx.setLineDash([4, 4]);
        ctx.beginPath();
        ctx.moveTo(x, area.top);
        ctx.lineTo(x, area.bottom);
        ctx.stroke();
        ctx.restore();
      }
    };

    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{
          label: data.title,
          data: values,
          backgroundColor: primary,
          borderRadius: 2,
          maxBarThickness: 18
        }]
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: "vi-VN",
        scales: {
          x: { min: 0, max: data.max ? parseFloat(data.max) : 100, title: { display: true, text: data.title } },
          y: { ticks: { autoSkip: false } }
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (item) {
                return data.title + ": " + data.display[item.dataIndex];
              }
            }
          },
          subtitle: {
            display: data.mean !== null && data.mean !== undefined,
            text: "Đường nét đứt: trung bình của nhóm (" + data.mean_display + ")",
            position: "bottom"
          }
        }
      },
      plugins: [meanPlugin]
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
