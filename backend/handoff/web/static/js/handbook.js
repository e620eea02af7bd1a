/* The Handbook page, enhanced: "add a line" for lists, downloads with a busy state, and
 * the publish forms following the language chosen in the build form. Without this file
 * every form still works (blank lines under each list, plain downloads). */
(function () {
  "use strict";

  function addLine(button) {
    var list = button.previousElementSibling;
    var inputs = list.querySelectorAll("input");
    var max = parseInt(list.dataset.max || "0", 10);
    if (max && inputs.length >= max) { return; }
    var input = inputs[inputs.length - 1].cloneNode(false);
    var line = inputs.length + 1;
    input.value = "";
    input.id = list.dataset.listId + "-" + line;
    input.setAttribute("aria-label", list.dataset.label + ", line " + line);
    list.appendChild(input);
    input.focus();
    button.disabled = Boolean(max) && line >= max;
  }

  function fileName(disposition) {
    var match = /filename\*=UTF-8''([^;]+)|filename="?([^";]+)"?/i.exec(disposition || "");
    return match ? decodeURIComponent(match[1] || match[2]) : "";
  }

  function save(blob, name) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
  }

  function problem(data) {
    if (data && data.errors) {
      return Object.keys(data.errors).map(function (key) { return data.errors[key]; }).join(" ");
    }
    if (data && data.message) {
      return data.message + (data.fix ? " Fix: " + data.fix + "." : "");
    }
    return "The download failed.";
  }

  var idleLabels = new WeakMap();

  function busy(button, on) {
    if (on) {
      idleLabels.set(button, button.innerHTML);
      button.textContent = button.dataset.busyLabel;
    } else {
      button.innerHTML = idleLabels.get(button);
    }
    button.disabled = on;
    button.setAttribute("aria-busy", on ? "true" : "false");
  }

  function download(form, button) {
    var params = new URLSearchParams(new FormData(form));
    params.delete("preview");
    params.set("format", button.value);
    var box = form.querySelector("[data-download-error]");
    box.hidden = true;
    busy(button, true);
    window.Handoff.announce(button.dataset.busyLabel);
    fetch(button.formAction + "?" + params.toString(), {
      credentials: "same-origin", headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          throw data;
        });
      }
      var name = fileName(response.headers.get("Content-Disposition")) ||
        "handbook." + button.value;
      return response.blob().then(function (blob) {
        save(blob, name);
        window.Handoff.announce("Downloaded " + name + ".");
      });
    }).catch(function (data) {
      box.textContent = problem(data);
      box.hidden = false;
    }).then(function () { busy(button, false); });
  }

  function follow(form) {
    var select = form.querySelector("#lang");
    var values = {
      lang: select.value,
      blanks: form.querySelector("#blanks").checked ? "1" : "",
      offline: form.querySelector("#offline").checked ? "1" : ""
    };
    document.querySelectorAll("[data-follow]").forEach(function (input) {
      input.value = values[input.dataset.follow];
    });
    var name = select.options[select.selectedIndex].dataset.name;
    document.querySelectorAll("[data-publish-button]").forEach(function (button) {
      button.textContent = button.textContent.replace(/: .*$/, ": " + name);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-add-row]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { addLine(button); });
    });
    var form = document.querySelector("[data-build-form]");
    if (form) {
      form.addEventListener("submit", function (event) {
        var button = event.submitter;
        if (button && button.hasAttribute("data-download")) {
          event.preventDefault();
          download(form, button);
        }
      });
      form.addEventListener("change", function () { follow(form); });
      follow(form);
    }
    document.querySelectorAll("[data-busy-form]").forEach(function (busyForm) {
      busyForm.addEventListener("submit", function (event) {
        var button = event.submitter || busyForm.querySelector("button[type=submit]");
        // Disabled after the submission has started, so the click still sends the form.
        window.setTimeout(function () { busy(button, true); }, 0);
      });
    });
  });

  // Back to a page kept in the browser's cache: its buttons are no longer busy.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("button[aria-busy=true]").forEach(function (button) {
      busy(button, false);
    });
  });
}());
