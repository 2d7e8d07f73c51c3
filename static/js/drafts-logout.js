/* Logging out removes every reply draft kept on this device (drafts.js), so nothing
   typed in a confidential community stays behind on a shared computer. Drafts survive
   an expired session: only an explicit logout clears them. */
(function () {
  "use strict";
  var local;
  try { local = window.localStorage; } catch (e) { return; }
  if (!local) { return; }

  function isLogout(form) {
    try { return /\/accounts\/logout\/$/.test(new URL(form.action, window.location.href).pathname); }
    catch (e) { return false; }
  }
  function clearDrafts() {
    var keys = [];
    for (var i = 0; i < local.length; i += 1) {
      var key = local.key(i);
      if (key && key.indexOf("draft:") === 0) { keys.push(key); }
    }
    keys.forEach(function (key) { local.removeItem(key); });
    try { window.sessionStorage.removeItem("draft:submitted"); } catch (e) { /* none */ }
  }
  document.addEventListener("submit", function (event) {
    if (event.target && event.target.tagName === "FORM" && isLogout(event.target)) { clearDrafts(); }
  }, true);
})();
