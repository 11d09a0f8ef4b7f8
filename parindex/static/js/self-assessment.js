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

  /* Live preview vs autosave: typing then leaving the input within the preview's delay sent
     the save first and the preview after it, and the late "(chưa lưu)" preview replaced the
     saved points. A preview is not sent when nothing was typed since the item's last save,
     and a preview answered after a newer save began is dropped. */
  var lastInput = {};
  var lastSave = {};

  function itemForm(elt) {
    return elt && elt.closest ? elt.closest("form.muc-form") : null;
  }

  document.addEventListener("input", function (event) {
    var form = itemForm(event.target);
    if (form) {
      lastInput[form.getAttribute("data-muc")] = Date.now();
    }
  }, true);

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    var form = itemForm(elt);
    if (!form) {
      return;
    }
    var id = form.getAttribute("data-muc");
    if (elt === form) {
      lastSave[id] = Date.now();
    } else if (elt.hasAttribute("hx-post") && elt.getAttribute("hx-target") === "#diem-" + id) {
      if ((lastSave[id] || 0) >= (lastInput[id] || 0)) {
        event.preventDefault();  // saved already: the saved points stand
        return;
      }
      elt.setAttribute("data-xem-luc", String(Date.now()));
    }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var elt = event.detail && event.detail.elt;
    var form = itemForm(elt);
    if (!form || elt === form || !elt.hasAttribute("data-xem-luc")) {
      return;
    }
    var sent = parseInt(elt.getAttribute("data-xem-luc"), 10) || 0;
    if ((lastSave[form.getAttribute("data-muc")] || 0) >= sent) {
      event.detail.shouldSwap = false;  // a save began after this preview: it wins
    }
  });

  /* Submit / withdraw: ask first (data-confirm on the form). The number of items still
     empty is read when asking, from the totals every save refreshes (data-con-lai). */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (!question) {
      return;
    }
    var empty = form.getAttribute("data-confirm-empty");
    var totals = byId("tong-diem");
    var remaining = totals ? parseInt(totals.getAttribute("data-con-lai"), 10) : NaN;
    var answers = document.querySelectorAll("form.giai-trinh-form");
    if (answers.length) {  // giải trình: the items whose answer is not saved, now
      remaining = 0;
      answers.forEach(function (item) {
        var status = byId("giai-trinh-ket-qua-" + item.getAttribute("data-giai-trinh"));
        if (!status || !status.querySelector("[data-da-luu]")) {
          remaining += 1;
        }
      });
    }
    if (empty && remaining > 0) {
      question += " " + empty.replace("{n}", String(remaining));
    }
    if (!window.confirm(question)) {
      event.preventDefault();
    }
  });

  /* Giải trình: each item is saved on its own; leaving the page with typed text not yet
     saved asks first (beforeunload). */
  var unsaved = {};
  document.addEventListener("input", function (event) {
    var form = event.target.closest ? event.target.closest("form.giai-trinh-form") : null;
    if (form) {
      unsaved[form.getAttribute("data-giai-trinh")] = true;
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail && event.detail.elt;
    if (form && form.matches && form.matches("form.giai-trinh-form") && event.detail.successful) {
      var status = byId("giai-trinh-ket-qua-" + form.getAttribute("data-giai-trinh"));
      if (status && status.querySelector(".text-success")) {
        delete unsaved[form.getAttribute("data-giai-trinh")];
      }
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches("form.giai-trinh-form") && !window.htmx) {
      delete unsaved[form.getAttribute("data-giai-trinh")];  // a plain post saves it
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (Object.keys(unsaved).length) {
      event.preventDefault();
      event.returnValue = "Có nội dung giải trình chưa lưu.";
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
