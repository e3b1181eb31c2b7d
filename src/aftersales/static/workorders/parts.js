// Parts lists: beside each part chosen (typed, or picked from the catalogue's list), the stock
// the page listed for it — the technician's van, the center's on hand and free — or that the
// code is not in the catalogue of this model (the server refuses it too).
(function () {
  "use strict";

  function show(input) {
    var row = input.closest("tr, .part-row");
    var out = row && row.querySelector("output.part-stock");
    var list = document.getElementById(input.getAttribute("list") || "");
    if (!out || !list) return;
    var code = (input.value || "").trim().split(/\s+/)[0].toUpperCase();
    var found = null;
    for (var i = 0; i < list.options.length; i++) {
      if (list.options[i].value.toUpperCase() === code) found = list.options[i];
    }
    out.textContent = found ? found.getAttribute("data-stock") : code ? out.getAttribute("data-unknown") : "";
    out.classList.toggle("unknown", !found && !!code);
  }

  function showAll(root) {
    (root || document).querySelectorAll("input.part-code").forEach(show);
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("input.part-code")) show(event.target);
  });
  document.addEventListener("DOMContentLoaded", function () { showAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { showAll(event.target); });
})();
