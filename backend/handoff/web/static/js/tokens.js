/* API tokens page: the Copy button next to a new token (the token stays selectable
 * without it). */
(function () {
  "use strict";

  function copy(button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) { return; }
    function copied(ok) {
      button.textContent = ok ? "Copied" : "Copy";
      window.Handoff.announce(ok ? "The token is copied to the clipboard."
                                 : "Copying failed: select the token and copy it.");
      if (!ok) { field.focus(); field.select(); }
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () { copied(true); },
                                                      function () { copied(false); });
    } else {
      field.focus();
      field.select();
      copied(document.execCommand && document.execCommand("copy"));
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { copy(button); });
    });
  });
}());
