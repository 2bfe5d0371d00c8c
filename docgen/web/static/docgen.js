// docgen workspace: places each finding beside its field, clears old notices, takes dropped
// files. Plain script, no build step, nothing fetched from elsewhere.
(function () {
  "use strict";

  function place() {
    document.querySelectorAll(".diag").forEach(function (slot) { slot.textContent = ""; });
    document.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    document.querySelectorAll("#findings li[data-slots]").forEach(function (item) {
      var slots = (item.dataset.slots || "").split(" ");
      for (var i = 0; i < slots.length; i++) {
        var slot = slots[i] && document.getElementById(slots[i]);
        if (!slot) { continue; }
        var line = document.createElement("p");
        line.className = "msg " + item.dataset.severity;
        line.textContent = item.dataset.message;
        slot.appendChild(line);
        if (item.dataset.severity === "error") {
          var input = document.querySelector('[aria-describedby~="' + slots[i] + '"]');
          if (input) { input.setAttribute("aria-invalid", "true"); }
        }
        break;
      }
    });
  }

  function clearNotice() {
    var notice = document.getElementById("notice");
    if (notice) { notice.textContent = ""; }
  }

  function dropzones() {
    document.querySelectorAll(".dropzone").forEach(function (zone) {
      if (zone.dataset.ready) { return; }
      zone.dataset.ready = "1";
      zone.addEventListener("dragover", function (e) { e.preventDefault(); zone.classList.add("dragging"); });
      zone.addEventListener("dragleave", function () { zone.classList.remove("dragging"); });
      zone.addEventListener("drop", function (e) {
        e.preventDefault();
        zone.classList.remove("dragging");
        var input = zone.querySelector("input[type=file]");
        if (!input || !e.dataTransfer || !e.dataTransfer.files.length) { return; }
        input.files = e.dataTransfer.files;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
  }

  function chosen(e) {
    var input = e.target;
    if (!input || input.type !== "file") { return; }
    var shown = document.querySelector('.chosen[data-for="' + input.id + '"]');
    if (!shown) { return; }
    var names = [];
    for (var i = 0; i < input.files.length; i++) { names.push(input.files[i].name); }
    shown.textContent = names.join("、");
  }

  // a finding links to its field (#id): the field is scrolled to the middle and gets the focus,
  // so a keyboard user types the correction at once
  function jump(e) {
    var link = e.target && e.target.closest ? e.target.closest("#findings a.jump") : null;
    if (!link) { return; }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) { return; }
    e.preventDefault();
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }

  function refresh() { place(); dropzones(); }

  document.addEventListener("click", jump);

  document.addEventListener("change", chosen);

  document.addEventListener("DOMContentLoaded", refresh);
  document.addEventListener("htmx:beforeRequest", clearNotice);
  document.addEventListener("htmx:afterSettle", refresh);
  document.addEventListener("htmx:oobAfterSwap", function () { window.setTimeout(refresh, 0); });
})();
