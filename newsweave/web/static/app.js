/* newsweave web: citation viewer and input form helpers. No framework.
 * Without JavaScript every citation is still a link to the cited sentence
 * (#seg-N-START), highlighted by CSS :target. */
(function () {
  "use strict";

  /* With the script running, highlights follow the .hl class only: CSS :target
   * (the no-script highlight) would keep a stale sentence lit after a reload. */
  document.documentElement.classList.add("js");

  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var lastMarker = null;

  function announce(text) {
    var live = document.getElementById("live");
    if (live) { live.textContent = text; }
  }

  function clearHighlight() {
    document.querySelectorAll(".seg.hl").forEach(function (el) {
      el.classList.remove("hl", "first");
      el.removeAttribute("tabindex");
    });
    document.querySelectorAll('.cite[aria-pressed="true"]').forEach(function (el) {
      el.setAttribute("aria-pressed", "false");
    });
    document.querySelectorAll(".ss.current").forEach(function (el) { el.classList.remove("current"); });
  }

  /* Highlight characters [start, end) of source number n; return the first segment. */
  function highlight(n, start, end) {
    var box = document.getElementById("src-" + n);
    if (!box) { return null; }
    var first = null;
    box.querySelectorAll(".seg").forEach(function (seg) {
      var s = Number(seg.dataset.s), e = Number(seg.dataset.e);
      if (e > s && s >= start && e <= end) {
        seg.classList.add("hl");
        if (!first) { first = seg; }
      }
    });
    if (box.tagName === "DETAILS") { box.open = true; }
    return first;
  }

  function showCitation(marker) {
    var n = marker.dataset.src, start = Number(marker.dataset.s), end = Number(marker.dataset.e);
    clearHighlight();
    var first = highlight(n, start, end);
    if (!first) { return false; }
    marker.setAttribute("aria-pressed", "true");
    var sentence = marker.closest(".ss-wrap");
    if (sentence) {
      var ss = sentence.querySelector(".ss");
      if (ss) { ss.classList.add("current"); }
    }
    first.classList.add("first");
    first.setAttribute("tabindex", "-1");
    first.scrollIntoView({ block: "center", behavior: reduced ? "auto" : "smooth" });
    first.focus({ preventScroll: true });
    lastMarker = marker;
    var back = document.getElementById("back-" + n);
    document.querySelectorAll(".back").forEach(function (b) { b.hidden = true; });
    if (back) { back.hidden = false; }
    var label = marker.getAttribute("data-label") || ("source " + n);
    var text = Array.prototype.map.call(document.querySelectorAll(".seg.hl"), function (el) {
      return el.textContent;
    }).join("");
    announce("Showing " + label + ": " + text);
    return true;
  }

  document.addEventListener("click", function (ev) {
    var marker = ev.target.closest("a.cite");
    if (marker && showCitation(marker)) {
      ev.preventDefault();
      if (history.replaceState) { history.replaceState(null, "", marker.getAttribute("href")); }
      return;
    }
    var back = ev.target.closest("button.back");
    if (back && lastMarker) {
      lastMarker.focus();
      lastMarker.scrollIntoView({ block: "center", behavior: reduced ? "auto" : "smooth" });
      back.hidden = true;
    }
  });

  /* A link opened with a #seg-N-START fragment: highlight that sentence. */
  function fromHash() {
    var m = /^#seg-(\d+)-(\d+)$/.exec(window.location.hash);
    if (!m) { return; }
    var marker = document.querySelector('a.cite[href="' + m[0] + '"]');
    if (marker) { showCitation(marker); }
  }

  /* Input form: add article boxes, show progress while the server works. */
  function setupForm() {
    var form = document.getElementById("synth-form");
    if (!form) { return; }
    var add = document.getElementById("add-article");
    var list = document.getElementById("article-list");
    if (add && list) {
      add.hidden = false;
      add.addEventListener("click", function () {
        var boxes = list.querySelectorAll("fieldset.article");
        var template = boxes[boxes.length - 1];
        var clone = template.cloneNode(true);
        var n = boxes.length + 1;
        clone.querySelector("legend").textContent = "Article " + n;
        clone.querySelectorAll("input, textarea").forEach(function (el) {
          el.value = "";
          var oldId = el.id;
          el.id = oldId.replace(/-\d+$/, "-" + n);
          var lab = clone.querySelector('label[for="' + oldId + '"]');
          if (lab) { lab.setAttribute("for", el.id); }
        });
        list.appendChild(clone);
        clone.querySelector("textarea").focus();
      });
    }
    var button = form.querySelector("button[type=submit]");
    var label = button ? button.textContent : "";
    form.addEventListener("submit", function () {
      if (button) {
        button.disabled = true;
        button.textContent = "Reading the articles…";
      }
      announce("Working: the articles are being read and compared.");
    });
    /* Back from the report: a page restored from the back/forward cache must
     * not keep the busy, disabled button. */
    window.addEventListener("pageshow", function (ev) {
      if (ev.persisted && button) {
        button.disabled = false;
        button.textContent = label;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupForm();
    fromHash();
  });
})();
