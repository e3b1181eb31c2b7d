/* Pickers (dispatch.forms.PickerInput): a text box that offers matches as one types.
 *
 * Typing asks the box's source (`data-picker`, e.g. /regions/) for the matches of what was typed
 * (with `data-picker-multiple`: of the part after the last comma); ↓/↑ move through them, Enter
 * or a click chooses one (its data-value, “广东省 广州市 天河区 (440106)”, goes into the box; in a
 * multiple box it replaces the part being typed), Esc closes the list. The server reads the code
 * back from the text, so the box also works without this script. Plain JS, loaded by every
 * picker: it sets itself up once and listens on the document, so pickers drawn later by htmx
 * work too.
 */
(function () {
  "use strict";
  if (window.aftersalesPicker) return;
  window.aftersalesPicker = true;

  var SEPARATORS = /[,，、;；\n]/;
  var counter = 0;

  function parts(box) {
    var input = box.querySelector("input");
    return { input: input, list: box.querySelector(".picker-options") };
  }

  // What the matches are asked for: the whole text, or in a multiple box the part being typed.
  function typed(box, input) {
    if (!box.hasAttribute("data-picker-multiple")) return input.value.trim();
    var all = input.value.split(SEPARATORS);
    return all[all.length - 1].trim();
  }

  function options(list) {
    return Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
  }

  function show(input, list, visible) {
    list.hidden = !visible;
    input.setAttribute("aria-expanded", visible ? "true" : "false");
    if (!visible) input.removeAttribute("aria-activedescendant");
  }

  function activate(input, list, option) {
    options(list).forEach(function (o) { o.setAttribute("aria-selected", o === option ? "true" : "false"); });
    if (option) {
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    }
  }

  function choose(box, option) {
    var p = parts(box);
    var value = option.getAttribute("data-value");
    if (box.hasAttribute("data-picker-multiple")) {
      var text = p.input.value;
      var cut = -1;
      for (var i = text.length - 1; i >= 0; i--) {
        if (SEPARATORS.test(text.charAt(i))) { cut = i; break; }
      }
      p.input.value = text.slice(0, cut + 1) + value + "，";
    } else {
      p.input.value = value;
    }
    show(p.input, p.list, false);
    p.input.dispatchEvent(new Event("change", { bubbles: true }));
    p.input.focus();
  }

  var timers = new WeakMap();

  function ask(box) {
    var p = parts(box);
    var q = typed(box, p.input);
    if (!q) { p.list.innerHTML = ""; show(p.input, p.list, false); return; }
    var url = box.getAttribute("data-picker");
    url += (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(q);
    fetch(url, { headers: { "X-Requested-With": "XMLHttpRequest" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) {
        if (typed(box, p.input) !== q) return; // an answer to older text
        p.list.innerHTML = html;
        options(p.list).forEach(function (o) {
          counter += 1;
          o.id = (p.input.id || "picker") + "-option-" + counter;
          o.setAttribute("aria-selected", "false");
        });
        // What was typed is already one option's code or text (440106, zhangw): nothing to choose.
        var done = options(p.list).some(function (o) {
          return o.getAttribute("data-code") === q || o.getAttribute("data-value") === q;
        });
        show(p.input, p.list, !done && p.list.children.length > 0 && document.activeElement === p.input);
      });
  }

  document.addEventListener("input", function (e) {
    var box = e.target.closest && e.target.closest("[data-picker]");
    if (!box || e.target.tagName !== "INPUT") return;
    clearTimeout(timers.get(box));
    timers.set(box, setTimeout(function () { ask(box); }, 150));
  });

  document.addEventListener("keydown", function (e) {
    var box = e.target.closest && e.target.closest("[data-picker]");
    if (!box || e.target.tagName !== "INPUT") return;
    var p = parts(box);
    var all = options(p.list);
    var current = all.indexOf(document.getElementById(p.input.getAttribute("aria-activedescendant") || "") || null);
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!all.length) return;
      e.preventDefault();
      show(p.input, p.list, true);
      var next = e.key === "ArrowDown" ? Math.min(current + 1, all.length - 1) : Math.max(current - 1, 0);
      activate(p.input, p.list, all[next]);
    } else if (e.key === "Enter" && !p.list.hidden && all.length) {
      e.preventDefault(); // choose, not submit the form
      choose(box, all[current >= 0 ? current : 0]);
    } else if (e.key === "Escape" && !p.list.hidden) {
      e.preventDefault();
      show(p.input, p.list, false);
    }
  });

  // mousedown, not click: the box keeps its focus (a blur would close the list first).
  document.addEventListener("mousedown", function (e) {
    var option = e.target.closest && e.target.closest("[data-picker] [role=option]");
    if (!option) return;
    e.preventDefault();
    choose(option.closest("[data-picker]"), option);
  });

  document.addEventListener("focusout", function (e) {
    var box = e.target.closest && e.target.closest("[data-picker]");
    if (!box) return;
    var p = parts(box);
    setTimeout(function () { if (document.activeElement !== p.input) show(p.input, p.list, false); }, 100);
  });
})();
