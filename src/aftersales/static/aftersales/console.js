/* The service console's keyboard help. Plain JS, no build step.
 *
 * Intake: Enter never submits (it looks up the phone or serial, registers a unit from its
 * fields, or moves to the next field); Ctrl+Enter (⌘+Enter) creates the request. Tab out of the
 * phone number waits for the customer to appear, so the next field is the one drawn for them.
 * Everywhere: Ctrl+Enter sends a form marked data-ctrl-enter; an action's small form takes the
 * focus when opened and Esc closes it. Refusals (409/422) are drawn like any other answer.
 */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  var FIELDS = "input:not([type=hidden]):not([disabled]):not([tabindex='-1']), select:not([disabled]), " +
    "textarea:not([disabled]), button:not([disabled]):not([tabindex='-1'])";

  function visible(el) { return !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length); }

  // The fields of a form in Tab order (a radio group counts once: its checked radio or its first).
  function fieldsOf(form) {
    var seen = {};
    return Array.prototype.filter.call(form.querySelectorAll(FIELDS), function (el) {
      if (!visible(el)) return false;
      if (el.type === "radio") {
        if (seen[el.name]) return false;
        var group = form.querySelectorAll('input[type=radio][name="' + el.name + '"]');
        var checked = Array.prototype.filter.call(group, function (r) { return r.checked; })[0];
        if (checked && checked !== el) return false;
        seen[el.name] = true;
      }
      return true;
    });
  }

  function focusAfter(form, el) {
    var all = fieldsOf(form);
    var i = all.indexOf(el);
    if (i < 0 && el.type === "radio") {
      i = all.findIndex(function (f) { return f.type === "radio" && f.name === el.name; });
    }
    var next = all[i + 1];
    if (next) next.focus();
  }

  function submitWith(form) {
    var button = form.querySelector("[data-submit], #create-request") ||
      form.querySelector("button[type=submit]:not([tabindex='-1'])");
    if (form.requestSubmit) form.requestSubmit(button || undefined);
    else (button || form).click();
  }

  function setUpIntake(form) {
    var pendingFrom = null; // the field whose lookup, once answered, moves the focus on
    var phone = form.querySelector("#id_phone");

    function lookupPending() {
      var panel = document.getElementById("customer-panel");
      return phone && panel && phone.value.trim() !== (panel.getAttribute("data-phone") || "").trim();
    }

    function lookUp(field) {
      pendingFrom = field;
      window.htmx.trigger(field, "lookup");
    }

    form.addEventListener("keydown", function (e) {
      var el = e.target;
      if (e.key !== "Enter" && e.key !== "Tab") return;
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        submitWith(form);
        return;
      }
      if (e.key === "Tab") {
        if (!e.shiftKey && el === phone && lookupPending()) {
          e.preventDefault();
          lookUp(phone);
        }
        return;
      }
      // Plain Enter: never a submit.
      if (el.tagName === "TEXTAREA" || el.tagName === "BUTTON" || el.tagName === "A") return;
      e.preventDefault();
      if (el.getAttribute("data-enter") === "lookup") {
        if (el === phone && !lookupPending()) focusAfter(form, el);
        else lookUp(el);
      } else if (el.closest(".unit-register")) {
        var register = document.getElementById("register-unit");
        if (register) register.click();
      } else {
        focusAfter(form, el);
      }
    });

    // Clicked or tabbed elsewhere meanwhile: the lookup's answer must not take the focus back.
    form.addEventListener("focusin", function (e) {
      if (pendingFrom && e.target !== pendingFrom) pendingFrom = null;
    });
    form.addEventListener("mousedown", function () { pendingFrom = null; });

    // A serial typed by hand is the unit: no longer one of the customer's picked above.
    form.addEventListener("input", function (e) {
      if (e.target.id !== "id_serial" || !e.target.value.trim()) return;
      var other = form.querySelector('input[name=unit][value=""]');
      if (other && !other.checked) other.checked = true;
    });

    document.body.addEventListener("htmx:afterSettle", function (e) {
      var target = e.detail && e.detail.elt;
      if (!pendingFrom || !target) return;
      var from = pendingFrom;
      if ((from === phone && target.id === "customer-panel") ||
          (from.id === "id_serial" && target.id === "unit-found")) {
        pendingFrom = null;
        focusAfter(form, from);
      }
    });
    // A freshly registered unit: go on to the fault.
    document.body.addEventListener("htmx:afterSettle", function (e) {
      var target = e.detail && e.detail.elt;
      if (target && target.id === "unit-found" && target.querySelector(".just-registered")) {
        var fault = document.getElementById("id_fault");
        if (fault && !fault.disabled) fault.focus();
      }
    });
  }

  // An action's small form takes the focus when opened (toggle does not bubble: capture it).
  function onToggle(e) {
    var details = e.target;
    if (!details.matches || !details.matches("details.action") || !details.open) return;
    // One small form at a time (not <details name>: a redrawn open one would close itself).
    Array.prototype.forEach.call(document.querySelectorAll("details.action[open]"), function (other) {
      if (other !== details) other.open = false;
    });
    var first = details.querySelector("[data-autofocus]") ||
      details.querySelector(".has-error select, .has-error textarea, .has-error input") ||
      details.querySelector("textarea, select, input:not([type=hidden])") ||
      details.querySelector("button[type=submit]");
    if (first) first.focus();
  }

  function init() {
    var intake = document.querySelector("form[data-intake]");
    if (intake) setUpIntake(intake);
    document.addEventListener("toggle", onToggle, true);

    document.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        var form = e.target.closest && e.target.closest("form[data-ctrl-enter]");
        if (form) { e.preventDefault(); submitWith(form); }
      } else if (e.key === "Escape") {
        var open = e.target.closest && e.target.closest("details.action[open]");
        if (open) {
          e.preventDefault();
          open.open = false;
          open.querySelector("summary").focus();
        }
      }
    });

    // Refusals come back as 409/422 with the form to draw again: swap them like a 200.
    document.body.addEventListener("htmx:beforeSwap", function (e) {
      var status = e.detail.xhr.status;
      if (status === 409 || status === 422) {
        e.detail.shouldSwap = true;
        e.detail.isError = false;
      }
    });

    // After an action the request is drawn again: keep the keyboard where it was working.
    document.body.addEventListener("htmx:afterSettle", function (e) {
      var target = e.detail && e.detail.elt;
      if (!target || target.id !== "request") return;
      var open = target.querySelector("details.action[open]");
      if (open) {
        var field = open.querySelector(".has-error select, .has-error textarea, .has-error input, textarea, select");
        (field || open.querySelector("summary")).focus();
      } else {
        var summary = target.querySelector("details.action summary");
        if (summary) summary.focus();
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
