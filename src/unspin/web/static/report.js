// unspin report behaviour: no inline handlers, no external requests (CSP script-src 'self').
(function () {
  "use strict";

  // Clicking (or pressing Enter on) a passage brings its counterpart on the other side into view.
  function showTwin(el) {
    var twin = document.getElementById(el.getAttribute("data-twin"));
    if (!twin) { return; }
    twin.scrollIntoView({block: "center", behavior: "smooth"});
    twin.classList.add("flash");
    el.classList.add("flash");
    window.setTimeout(function () {
      twin.classList.remove("flash");
      el.classList.remove("flash");
    }, 1200);
  }
  document.addEventListener("click", function (ev) {
    var el = ev.target.closest ? ev.target.closest("[data-twin]") : null;
    if (el) { showTwin(el); }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && ev.target.hasAttribute && ev.target.hasAttribute("data-twin")) {
      showTwin(ev.target);
    }
  });

  // Sortable tables: click a header to sort by that column; again to reverse.
  function cellValue(row, col, numeric) {
    var text = row.cells[col] ? row.cells[col].textContent.trim() : "";
    return numeric ? (parseFloat(text) || 0) : text.toLowerCase();
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("th").forEach(function (th, col) {
      th.classList.add("sort");
      th.setAttribute("tabindex", "0");
      th.addEventListener("click", function () {
        var numeric = th.getAttribute("data-type") === "num";
        var up = th.getAttribute("aria-sort") !== "ascending";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, col, numeric), y = cellValue(b, col, numeric);
          return (x < y ? -1 : x > y ? 1 : 0) * (up ? 1 : -1);
        });
        table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });

  // Uploads over the server's limit are refused here, with the reason, before they are sent.
  document.querySelectorAll("form[data-max-bytes]").forEach(function (form) {
    var max = parseInt(form.getAttribute("data-max-bytes"), 10);
    var out = form.querySelector(".upload-error");
    form.addEventListener("submit", function (ev) {
      var input = form.querySelector("input[type=file]");
      var file = input && input.files && input.files[0];
      if (file && file.size > max) {
        ev.preventDefault();
        if (out) {
          out.textContent = "The file " + file.name + " is " + file.size.toLocaleString() +
            " bytes, over this server's limit of " + max.toLocaleString() +
            " bytes. Split it into smaller files, or start the server with a larger --max-bytes.";
          out.hidden = false;
        }
      }
    });
  });
})();
