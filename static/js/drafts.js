/* Drafts: what is typed into a form marked data-draft-key is kept in localStorage, so
   it survives an expired session, a lost connection or a closed tab. Restored only into
   empty fields; cleared once the post went through. Progressive enhancement: without
   JavaScript the forms work the same, only without drafts. */
(function () {
  "use strict";
  // Drafts are kept per signed-in person (base.html's draft-owner), so another account
  // on the same device never gets them; drafts-logout.js removes them all at logout.
  var owner = document.querySelector('meta[name="draft-owner"]');
  if (!owner || !owner.content) { return; }
  var PREFIX = "draft:" + owner.content + ":";
  var SUBMITTED = "draft:submitted";

  function store(kind) {
    try { return window[kind]; } catch (e) { return null; }
  }
  var local = store("localStorage");
  var session = store("sessionStorage");
  if (!local) { return; }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && el.type === "text") || el.tagName === "SELECT");
    });
  }
  function save(form) {
    var data = {};
    var any = false;
    fields(form).forEach(function (el) {
      data[el.name] = el.value;
      if (el.tagName !== "SELECT" && el.value.trim()) { any = true; }
    });
    if (any) { local.setItem(PREFIX + form.dataset.draftKey, JSON.stringify(data)); }
  }
  function clear(key) { local.removeItem(PREFIX + key); }
  function restore(form) {
    var raw = local.getItem(PREFIX + form.dataset.draftKey);
    if (!raw) { return; }
    var typed = fields(form).some(function (el) { return el.tagName !== "SELECT" && el.value.trim(); });
    if (typed) { return; } // the server gave back what was typed: that wins
    var data;
    try { data = JSON.parse(raw); } catch (e) { return; }
    fields(form).forEach(function (el) {
      if (Object.prototype.hasOwnProperty.call(data, el.name)) { el.value = data[el.name]; }
    });
  }
  function bind(root) {
    if (!root || !root.querySelectorAll) { return; }
    var forms = Array.prototype.slice.call(root.querySelectorAll("form[data-draft-key]"));
    if (root.matches && root.matches("form[data-draft-key]")) { forms.push(root); }
    forms.forEach(function (form) {
      if (form.dataset.draftBound) { return; }
      form.dataset.draftBound = "1";
      restore(form);
      form.addEventListener("input", function () { save(form); });
      form.addEventListener("submit", function () {
        save(form);
        if (session) { session.setItem(SUBMITTED, form.dataset.draftKey); }
      });
    });
  }
  function isLoginPage(url) { return /\/accounts\//.test(url || ""); }

  document.addEventListener("DOMContentLoaded", function () {
    var pending = session && session.getItem(SUBMITTED);
    // After a full-page submit the next page shows a success message: the post went through.
    if (pending && document.querySelector(".message-success")) {
      clear(pending);
      session.removeItem(SUBMITTED);
    }
    bind(document);
  });
  document.addEventListener("htmx:load", function (event) { bind(event.detail.elt); });
  document.addEventListener("htmx:beforeSwap", function (event) {
    // An expired session answers an htmx post with the login page: go there for real,
    // keeping the draft for after logging in.
    var url = event.detail.xhr && event.detail.xhr.responseURL;
    if (isLoginPage(url)) {
      event.detail.shouldSwap = false;
      window.location.href = url;
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!form || !form.matches || !form.matches("form[data-draft-key]")) { return; }
    var xhr = event.detail.xhr;
    // A validation error comes back retargeted to the form itself: keep the draft then.
    if (event.detail.successful && !xhr.getResponseHeader("HX-Retarget") && !isLoginPage(xhr.responseURL)) {
      clear(form.dataset.draftKey);
      if (session) { session.removeItem(SUBMITTED); }
    }
  });
})();
