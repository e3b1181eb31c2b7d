/* The dispatcher board's keyboard help. Plain JS, no build step.
 *
 * A job's panel that htmx draws takes the focus (so Tab reaches its buttons next); after an
 * action redraws the board, the focus goes to the panel when it shows a refusal or conflicts,
 * else to the notice. (console.js swaps 409/422 answers like a 200.)
 */
(function () {
  "use strict";

  function focusPanel(panel) {
    var first = panel.querySelector(".alert.error, .has-error input, .has-error select");
    if (first && first.matches("input, select")) first.focus();
    else panel.focus();
  }

  document.addEventListener("htmx:afterSettle", function (e) {
    var target = e.detail && e.detail.elt;
    if (!target) return;
    if (target.id === "job-panel") {
      focusPanel(target);
    } else if (target.id === "board") {
      var panel = document.getElementById("job-panel");
      var open = panel && panel.querySelector(".alert, .conflicts, .has-error");
      if (open) { focusPanel(panel); return; }
      var notice = target.querySelector(".board-notice");
      if (notice) { notice.setAttribute("tabindex", "-1"); notice.focus(); }
    }
  });
})();
