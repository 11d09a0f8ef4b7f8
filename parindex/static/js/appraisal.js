/* parindex: the appraisal pages (thẩm định).
   - forms with data-confirm ask before posting (lifecycle buttons, bulk accept);
   - the queue's "select all" checkbox and the count of selected items;
   - the dashboard's doughnut of assessment statuses, from the page's
     <script type="application/json" id="du-lieu-trang-thai"> (json_script): labels, values
     (counts), colors, title. Nothing is computed here but geometry. */
(function () {
  "use strict";

  function confirmations() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) {
          event.preventDefault();
        }
      });
    });
  }

  function selection() {
    var all = document.getElementById("chon-tat-ca");
    var boxes = Array.prototype.slice.call(document.querySelectorAll("input.chon-muc"));
    var count = document.getElementById("so-muc-chon");
    var button = document.getElementById("nut-chap-nhan");
    if (!boxes.length) {
      return;
    }
    function update() {
      var chosen = boxes.filter(function (box) { return box.checked; }).length;
      if (count) {
        count.textContent = chosen ? "Đã chọn " + chosen + " nội dung" : "Chọn các nội dung để chấp nhận điểm tự chấm";
      }
      if (button) {
        button.disabled = chosen === 0;
      }
      if (all) {
        all.checked = chosen === boxes.length;
        all.indeterminate = chosen > 0 && chosen < boxes.length;
      }
    }
    if (all) {
      all.addEventListener("change", function () {
        boxes.forEach(function (box) { box.checked = all.checked; });
        update();
      });
    }
    boxes.forEach(function (box) { box.addEventListener("change", update); });
    update();
  }

  function doughnut() {
    var source = document.getElementById("du-lieu-trang-thai");
    var canvas = document.getElementById("bieu-do-trang-thai");
    if (!source || !canvas || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    new window.Chart(canvas, {
      type: "doughnut",
      data: {
        labels: data.labels,
        datasets: [{ label: data.title, data: data.values, backgroundColor: data.colors }]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: "vi-VN",
        plugins: {
          legend: { position: "bottom" },
          title: { display: true, text: data.title }
        }
      }
    });
  }

  function start() {
    confirmations();
    selection();
    doughnut();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
