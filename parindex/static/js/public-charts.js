/* parindex: the charts of the public results pages (/cong-bo/).
   Each <canvas data-chart="ID"> reads the JSON of <script type="application/json" id="ID">
   (Django's json_script): kind, labels, values (the stored numbers as decimal strings),
   display (the same numbers written Vietnamese style, for tooltips). Nothing is computed
   here but geometry; the pages print every number in a table as well. */
(function () {
  "use strict";

  var CLASS_COLOURS = {
    "xuất sắc": "--bs-success",
    "tốt": "--bs-primary",
    "khá": "--bs-info",
    "trung bình": "--bs-warning",
    "yếu": "--bs-danger"
  };
  var FALLBACK = ["#6f42c1", "#20c997", "#fd7e14", "#6c757d", "#d63384"];

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function numbers(texts) {
    return texts.map(function (text) { return parseFloat(text); });
  }

  function vn(value) {
    return Number(value).toLocaleString("vi-VN", { maximumFractionDigits: 2 });
  }

  // Horizontal bars need one row per label: grow the box (CSSOM, allowed by the CSP).
  function fitRows(canvas, rows, rowHeight, minimum) {
    var box = canvas.parentElement;
    if (box && rows) {
      box.style.height = Math.max(minimum, rows * rowHeight + 70) + "px";
    }
  }

  function tooltipFrom(data) {
    return {
      callbacks: {
        label: function (item) {
          var shown = data.display ? data.display[item.dataIndex] : vn(item.raw);
          return (data.title || "") + ": " + shown;
        }
      }
    };
  }

  function unitsChart(canvas, data) {
    fitRows(canvas, data.rows, 22, 280);
    var muted = cssVar("--bs-secondary-color", "#6c757d");
    var meanLine = {
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
    return {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{
          label: data.title,
          data: numbers(data.values),
          backgroundColor: cssVar("--bs-primary", "#0d6efd"),
          borderRadius: 2,
          maxBarThickness: 18
        }]
      },
      options: {
        indexAxis: "y",
        scales: {
          x: { min: 0, max: 100, title: { display: true, text: data.title }, ticks: { callback: vn } },
          y: { ticks: { autoSkip: false } }
        },
        plugins: {
          legend: { display: false },
          tooltip: tooltipFrom(data),
          subtitle: {
            display: data.mean !== null && data.mean !== undefined,
            text: "Đường nét đứt: trung bình của nhóm (" + data.mean_display + ")",
            position: "bottom"
          }
        }
      },
      plugins: [meanLine]
    };
  }

  function lineChart(canvas, data) {
    var primary = cssVar("--bs-primary", "#0d6efd");
    var values = numbers(data.values);
    var low = Math.min.apply(null, values.concat([100]));
    return {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [{
          label: data.title,
          data: values,
          borderColor: primary,
          backgroundColor: primary,
          pointRadius: 4,
          tension: 0
        }]
      },
      options: {
        scales: {
          y: { suggestedMin: Math.max(0, Math.floor(low / 10) * 10 - 10), suggestedMax: 100, ticks: { callback: vn } }
        },
        plugins: { legend: { display: false }, tooltip: tooltipFrom(data) }
      }
    };
  }

  function classesChart(canvas, data) {
    var colours = data.labels.map(function (label, i) {
      var name = CLASS_COLOURS[String(label).trim().toLowerCase()];
      return name ? cssVar(name, FALLBACK[i % FALLBACK.length]) : FALLBACK[i % FALLBACK.length];
    });
    return {
      type: "doughnut",
      data: {
        labels: data.labels,
        datasets: [{ label: data.title, data: data.values, backgroundColor: colours }]
      },
      options: {
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (item) { return item.label + ": " + item.raw + " đơn vị"; }
            }
          }
        }
      }
    };
  }

  function fieldsChart(canvas, data) {
    fitRows(canvas, data.rows, 34, 220);
    // long field names: shorter on a phone (the full name is in the table and tooltip)
    var room = canvas.parentElement && canvas.parentElement.clientWidth < 560 ? 20 : 40;
    return {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{
          label: data.title,
          data: numbers(data.values),
          backgroundColor: cssVar("--bs-primary", "#0d6efd"),
          borderRadius: 2,
          maxBarThickness: 22
        }]
      },
      options: {
        indexAxis: "y",
        scales: {
          x: { min: 0, max: 100, title: { display: true, text: data.title }, ticks: { callback: vn } },
          y: {
            ticks: {
              autoSkip: false,
              callback: function (value) {
                var label = this.getLabelForValue(value);
                return label.length > room ? label.slice(0, room - 1) + "…" : label;
              }
            }
          }
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: function (items) { return data.labels[items[0].dataIndex]; },
              label: tooltipFrom(data).callbacks.label
            }
          }
        }
      }
    };
  }

  var BUILDERS = {
    units: unitsChart,
    years: lineChart,
    history: lineChart,
    classes: classesChart,
    fields: fieldsChart
  };

  function draw() {
    if (typeof window.Chart === "undefined") {
      return;
    }
    var canvases = document.querySelectorAll("canvas[data-chart]");
    Array.prototype.forEach.call(canvases, function (canvas) {
      var source = document.getElementById(canvas.getAttribute("data-chart"));
      if (!source) {
        return;
      }
      var data = JSON.parse(source.textContent);
      var build = BUILDERS[data.kind];
      if (!build || !data.labels || !data.labels.length) {
        return;
      }
      var config = build(canvas, data);
      config.options.responsive = true;
      config.options.maintainAspectRatio = false;
      config.options.animation = false;
      config.options.locale = "vi-VN";
      new window.Chart(canvas, config);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
