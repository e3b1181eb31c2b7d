/* Aftersales staff shell: keyboard help for the global search. Plain JS, no build step.
 *
 * In the search box: ↓ moves into the results, Enter opens the first result (or, when the list
 * is not yet up to date with what was typed, submits to the full search page), Esc closes the
 * list. In the list: ↑/↓ move, Enter opens, Esc goes back to the box. "/" anywhere focuses it.
 */
(function () {
  "use strict";

  function isTyping(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  function setUpSearch(form) {
    var input = form.querySelector("input[type=search]");
    var box = form.querySelector(".search-results");
    if (!input || !box) return;

    function links() { return Array.prototype.slice.call(box.querySelectorAll(".results a")); }
    function hasResults() { return !!box.querySelector(".results"); }
    function show(visible) {
      box.hidden = !visible;
      input.setAttribute("aria-expanded", visible && hasResults() ? "true" : "false");
    }
    // The list answers the text typed so far only when its query is the box's current text.
    function upToDate() {
      var list = box.querySelector(".results");
      return !!list && list.getAttribute("data-q") === input.value.trim();
    }

    box.addEventListener("htmx:afterSwap", function () { show(hasResults()); });

    input.addEventListener("keydown", function (e) {
      var first = links()[0];
      if (e.key === "ArrowDown" && first) {
        e.preventDefault();
        show(true);
        first.focus();
      } else if (e.key === "Enter" && first && upToDate()) {
        e.preventDefault();
        first.click();
      } else if (e.key === "Escape" && !box.hidden && hasResults()) {
        e.preventDefault(); // keep the text; a second Esc clears it (the browser's own behaviour)
        show(false);
      }
    });
    input.addEventListener("focus", function () { if (hasResults() && input.value.trim()) show(true); });

    box.addEventListener("keydown", function (e) {
      var all = links();
      var i = all.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && i < all.length - 1) {
        e.preventDefault();
        all[i + 1].focus();
      } else if (e.key === "ArrowUp") {
        e.preventDefault();
        (i > 0 ? all[i - 1] : input).focus();
      } else if (e.key === "Escape") {
        e.preventDefault();
        show(false);
        input.focus();
      }
    });

    document.addEventListener("click", function (e) { if (!form.contains(e.target)) show(false); });
    document.addEventListener("keydown", function (e) {
      if (e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey && !isTyping(e.target)) {
        e.preventDefault();
        input.focus();
        input.select();
      }
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-search]"), setUpSearch);
    Array.prototype.forEach.call(document.querySelectorAll("select[data-autosubmit]"), function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

/* The 三包 check: the print button, and each field's aria-invalid following its error message
 * (the decision's answer redraws the messages, not the fields the clerk is typing in). */
(function () {
  "use strict";

  function markInvalid(root) {
    Array.prototype.forEach.call(root.querySelectorAll(".field-error[id]"), function (slot) {
      var invalid = slot.textContent.trim() !== "";
      Array.prototype.forEach.call(
        document.querySelectorAll('[aria-describedby~="' + slot.id + '"]'),
        function (field) {
          if (invalid) field.setAttribute("aria-invalid", "true");
          else field.removeAttribute("aria-invalid");
        }
      );
    });
  }

  // Print buttons come with each decision: shown only where JS can press them.
  function showPrintButtons() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
      button.hidden = false;
    });
  }

  function init() {
    showPrintButtons();
    document.addEventListener("click", function (e) {
      if (e.target.closest && e.target.closest("[data-print]")) window.print();
    });
    if (document.getElementById("check-form")) {
      markInvalid(document);
      document.body.addEventListener("htmx:afterSettle", function () {
        markInvalid(document);
        showPrintButtons();
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

/* Conditions on an htmx trigger. htmx writes them as filters ("keyup[…]") and runs them with
 * eval, which the Content-Security-Policy refuses (htmx's allowEval is off: templates/core/
 * partials/_htmx.html). Here they raise named events that the hx-trigger listens for instead:
 * - a field marked data-decides raises "decides-changed" when it changes (the intake's 三包
 *   answer is asked again);
 * - a key typed in a field of a form marked data-typed-except="NAME" raises "typed", unless the
 *   field is named NAME (the 三包 check: the serial is looked up on Enter instead);
 * - an element marked data-poll-visible polls only while its page is visible. */
(function () {
  "use strict";

  function raise(field, name) {
    field.dispatchEvent(new CustomEvent(name, { bubbles: true }));
  }

  document.addEventListener("change", function (e) {
    if (e.target.hasAttribute && e.target.hasAttribute("data-decides")) raise(e.target, "decides-changed");
  });
  document.addEventListener("keyup", function (e) {
    var form = e.target.form;
    var except = form && form.getAttribute("data-typed-except");
    if (except !== null && except !== undefined && e.target.name !== except) raise(e.target, "typed");
  });
  document.addEventListener("htmx:beforeRequest", function (e) {
    var elt = e.detail && e.detail.elt;
    if (elt && elt.hasAttribute("data-poll-visible") && document.visibilityState !== "visible") {
      e.preventDefault();
    }
  });
})();

/* A background poll (an hx-trigger "every …") is not the user at work: it says so with the
 * X-Poll header, and the server does not count it as activity for the idle-session limit
 * (core/sessions.py, decision 56) — a console left open still logs out. */
document.addEventListener("htmx:configRequest", function (e) {
  var trigger = e.detail.elt && e.detail.elt.getAttribute("hx-trigger");
  if (trigger && /(^|,)\s*every\s/.test(trigger)) e.detail.headers["X-Poll"] = "1";
});
