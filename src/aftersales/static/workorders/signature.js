/* A signature pad without a library: pointer events draw on a <canvas>; the drawing is kept as
   a PNG data URL in the hidden field next to it, and only while the pad has ink (an empty pad
   sends nothing, so the agreement is not signed). "Clear" starts over. A refused form comes
   back with the data URL: it is drawn on the pad again. Works inside htmx-swapped fragments. */
(function () {
  "use strict";

  function setUp(box) {
    if (box.dataset.ready) return;
    box.dataset.ready = "1";
    var canvas = box.querySelector("canvas");
    var field = box.querySelector("input[type=hidden]");
    var state = box.querySelector("[data-signature-state]");
    var ctx = canvas.getContext("2d");
    var drawing = false;
    var inked = false;
    var last = null;

    function pen() {
      ctx.lineWidth = 2.5;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.strokeStyle = "#111";
    }

    function show() {
      if (state) state.textContent = inked ? state.dataset.signed : state.dataset.empty;
      box.classList.toggle("signed", inked);
    }

    function save() {
      field.value = inked ? canvas.toDataURL("image/png") : "";
      show();
    }

    function point(event) {
      var rect = canvas.getBoundingClientRect();
      return {
        x: (event.clientX - rect.left) * (canvas.width / rect.width),
        y: (event.clientY - rect.top) * (canvas.height / rect.height),
      };
    }

    canvas.style.touchAction = "none"; // the finger signs instead of scrolling the page
    pen();

    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      drawing = true;
      last = point(event);
      if (canvas.setPointerCapture) canvas.setPointerCapture(event.pointerId);
      ctx.beginPath();
      ctx.arc(last.x, last.y, 1.2, 0, Math.PI * 2);
      ctx.fillStyle = "#111";
      ctx.fill();
      inked = true;
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) return;
      event.preventDefault();
      var next = point(event);
      ctx.beginPath();
      ctx.moveTo(last.x, last.y);
      ctx.lineTo(next.x, next.y);
      ctx.stroke();
      last = next;
    });
    function stop() {
      if (!drawing) return;
      drawing = false;
      save();
    }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    canvas.addEventListener("pointerleave", stop);

    var clear = box.querySelector("[data-signature-clear]");
    if (clear) {
      clear.addEventListener("click", function () {
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        inked = false;
        save();
      });
    }

    // A form drawn again after a refusal keeps the signature: paint it back.
    if (field.value && field.value.indexOf("data:image/png;base64,") === 0) {
      var image = new Image();
      image.onload = function () {
        ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
        inked = true;
        show();
      };
      image.src = field.value;
    }
    show();
  }

  function setUpAll(root) {
    (root || document).querySelectorAll("[data-signature-pad]").forEach(setUp);
  }

  document.addEventListener("DOMContentLoaded", function () { setUpAll(document); });
  document.addEventListener("htmx:load", function (event) { setUpAll(event.target); });
})();
