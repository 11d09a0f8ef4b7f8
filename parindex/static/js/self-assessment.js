/* parindex: the self-assessment screen (phiếu tự đánh giá) and its summary chart.
   No inline scripts (CSP): this file is loaded with the page's nonce. It only wires the page:
   every number shown (points, totals, index, percentages) comes from the server's engine. */
(function () {
  "use strict";

  function byId(id) {
    return document.getElementById(id);
  }

  /* "Không áp dụng": show the mandatory justification and disable the value inputs.
     Capture phase, so the state is right before htmx collects the form for the autosave. */
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[data-kad]")) {
      return;
    }
    var id = box.getAttribute("data-kad");
    var reason = byId("ly-do-" + id);
    var values = byId("gia-tri-" + id);
    if (reason) {
      reason.classList.toggle("d-none", !box.checked);
    }
    if (values) {
      values.disabled = box.checked;
    }
  }, true);

  /* Ticking "không áp dụng" without a reason: wait for the reason instead of saving now. */
  document.addEventListener("htmx:confirm", function (event) {
    var form = event.detail && event.detail.elt;
    var trigger = event.detail && event.detail.triggeringEvent;
    if (!form || !form.matches || !form.matches("form.muc-form") || !trigger) {
      return;
    }
    var box = trigger.target;
    if (!box || !box.matches || !box.matches("input[data-kad]") || !box.checked) {
      return;
    }
    var id = box.getAttribute("data-kad");
    var text = byId("ly-do-nhap-" + id);
    if (text && !text.value.trim()) {
      event.preventDefault();
      var status = byId("trang-thai-" + id);
      if (status) {
        status.textContent = "Nhập lý do không áp dụng; phiếu sẽ tự lưu khi bạn rời ô lý do.";
        status.className = "small trang-thai-luu text-warning-emphasis";
      }
      text.focus();
    }
  });

  /* A save that did not reach the server (network, session expired): say so on the item. */
  function saveFailed(event) {
    var elt = event.detail && event.detail.elt;
    var form = elt && elt.closest ? elt.closest("form.muc-form") : null;
    if (!form) {
      return;
    }
    var status = byId("trang-thai-" + form.getAttribute("data-muc"));
    if (status) {
      var code = event.detail.xhr ? event.detail.xhr.status : 0;
      status.textContent = code === 403
        ? "Không lưu được: bạn không còn quyền sửa phiếu này (hãy tải lại trang)."
        : "Không lưu được (mất kết nối hoặc phiên đăng nhập đã hết); hãy thử lại.";
      status.className = "small trang-thai-luu text-danger";
    }
  }
  document.addEventListener("htmx:responseError", saveFailed);
  document.addEventListener("htmx:sendError", saveFailed);

  /* Submit / withdraw: ask first (data-confirm on the form). */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  /* Summary: horizontal bars of each field's percentage (the engine's, as strings). */
  function drawChart() {
    var source = byId("du-lieu-bieu-do-linh-vuc");
    var canvas = byId("bieu-do-linh-vuc");
    var box = byId("bieu-do-linh-vuc-khung");
    if (!source || !canvas || !box || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    box.style.height = Math.max(240, data.labels.length * 34 + 60) + "px"; // CSSOM: allowed
    var style = getComputedStyle(document.documentElement);
    var primary = style.getPropertyValue("--bs-primary").trim() || "#0d6efd";
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels.map(function (label) {
          return label.length > 40 ? label.slice(0, 39) + "…" : label;
        }),
        datasets: [{
          label: data.title,
          data: data.values.map(function (text) { return parseFloat(text); }),
          backgroundColor: primary,
          borderRadius: 2,
          maxBarThickness: 22
        }]
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: "vi-VN",
        scales: {
          x: { min: 0, max: 100, title: { display: true, text: data.title } },
          y: { ticks: { autoSkip: false } }
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: function (items) { return data.labels[items[0].dataIndex]; },
              label: function (item) { return data.display[item.dataIndex] + "%"; }
            }
          }
        }
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawChart);
  } else {
    drawChart();
  }
})();
