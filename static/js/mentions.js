/*
 * Mention autocomplete: progressive enhancement for textareas that carry
 * data-mentions-url (the thread's or community's "mentions/" address). While someone
 * types "@" and the start of a name, the server suggests people who may be mentioned
 * there; choosing one inserts "@Their Name ". Without this script the field simply
 * accepts typed mentions, which the server resolves the same way.
 */
(function () {
  "use strict";

  var MENTION = /(?:^|[^\w])@([^\s@][^@\n]{0,39})$/;

  function queryBeforeCaret(textarea) {
    var before = textarea.value.slice(0, textarea.selectionStart);
    var match = MENTION.exec(before);
    if (!match || match[1].split(" ").length > 4) {
      return null;
    }
    return match[1];
  }

  function enhance(textarea) {
    var box = document.createElement("div");
    box.className = "mention-box";
    box.setAttribute("aria-live", "polite");
    textarea.insertAdjacentElement("afterend", box);
    var timer = null;
    var asked = "";

    function clear() {
      box.innerHTML = "";
      asked = "";
    }

    function suggest() {
      var query = queryBeforeCaret(textarea);
      if (!query) {
        clear();
        return;
      }
      if (query === asked) {
        return;
      }
      asked = query;
      var url = textarea.dataset.mentionsUrl + "?q=" + encodeURIComponent(query);
      fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.text() : "";
        })
        .then(function (html) {
          if (asked === query) {
            // Server-rendered, autoescaped fragment.
            box.innerHTML = html;
          }
        })
        .catch(clear);
    }

    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(suggest, 200);
    });
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && box.innerHTML) {
        clear();
      } else if (event.key === "ArrowDown" && box.querySelector("button")) {
        event.preventDefault();
        box.querySelector("button").focus();
      }
    });
    box.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-mention]");
      if (!button) {
        return;
      }
      var caret = textarea.selectionStart;
      var before = textarea.value.slice(0, caret);
      var query = queryBeforeCaret(textarea) || "";
      var start = before.length - query.length;
      var inserted = button.dataset.mention + " ";
      textarea.value = before.slice(0, start) + inserted + textarea.value.slice(caret);
      var position = start + inserted.length;
      textarea.focus();
      textarea.setSelectionRange(position, position);
      clear();
    });
  }

  function init() {
    document.querySelectorAll("textarea[data-mentions-url]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
