/* The Handover page, enhanced: the check runs in the background and its results replace the
 * page's regions in place; sign-offs and waivers are sent with fetch and update their item
 * and the verdict. Every form also works without this script (post, redirect).
 *
 * The server renders every fragment (handover_parts.html), so markup lives in one place.
 */
(function () {
  "use strict";

  var root = null;

  function region(name) {
    return root.querySelector('[data-region="' + name + '"]');
  }

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function fill(name, html) {
    var target = region(name);
    if (target && typeof html === "string") { target.innerHTML = html; }
  }

  function alertText(text) {
    var target = region("alert");
    target.innerHTML = "";
    if (!text) { return; }
    var p = document.createElement("p");
    p.className = "flash flash-error";
    p.setAttribute("role", "alert");
    p.textContent = text;
    target.appendChild(p);
  }

  function send(form) {
    return fetch(form.action, {
      method: "POST", credentials: "same-origin", body: new FormData(form),
      headers: { "Accept": "application/json", "X-CSRF-Token": window.Handoff.csrfToken() }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { ok: response.ok, status: response.status, data: data };
      });
    }, function () {
      return { ok: false, status: 0,
               data: { errors: { form: "The dashboard did not answer. Is `handoff serve` running?" } } };
    });
  }

  function firstError(data) {
    var errors = data.errors || {};
    var keys = Object.keys(errors);
    return keys.length ? errors[keys[0]] : (data.message || "Something went wrong.");
  }

  function busy(form, on, label) {
    var button = form.querySelector('button[type="submit"]');
    if (!button) { return; }
    if (on) {
      button.dataset.label = button.textContent;
      button.textContent = label;
    } else if (button.dataset.label) {
      button.textContent = button.dataset.label;
    }
    button.disabled = on;
    form.setAttribute("aria-busy", on ? "true" : "false");
  }

  // -- the check -------------------------------------------------------------------------

  function runCheck(form) {
    busy(form, true, "Checking…");
    alertText("");
    send(form).then(function (answer) {
      if (!answer.ok) {
        busy(form, false);
        alertText(firstError(answer.data));
        return;
      }
      fill("job", answer.data.html.job);
      var card = region("job").querySelector(".card.job");
      window.Handoff.announce("The handover check started.");
      if (card && window.HandoffJobs) { window.HandoffJobs.watch(card); }
    });
  }

  function refresh(card, job) {
    window.Handoff.json(root.dataset.stateUrl).then(function (answer) {
      if (!answer.ok) {
        alertText(answer.data.message || "Could not load the results. Reload the page.");
        return;
      }
      ["summary", "checklist", "aside", "history"].forEach(function (name) {
        fill(name, answer.data.html[name]);
      });
      bindLetter();
      if (job && job.status === "done" && !job.failed && card) {
        card.remove();  // the results say it all; a failed check stays to say why
      }
      var report = answer.data.report;
      var failed = !job || job.status !== "done" || job.failed > 0;
      var heading = document.getElementById("verdict-heading");
      if (failed && card) {
        card.querySelector("h2").tabIndex = -1;
        card.querySelector("h2").focus();
      } else if (heading) {
        heading.focus();
      }
      if (failed) {
        var reason = (job && job.items && job.items.length) ? job.items[0].message : (job && job.error);
        window.Handoff.announce("The check could not finish" + (reason ? ": " + reason : ".") +
                                (report ? " The results shown are from the last complete check." : ""));
      } else {
        window.Handoff.announce("Check finished. Verdict: " + report.verdict + ".");
      }
    });
  }

  // -- sign-offs and waivers -------------------------------------------------------------

  function decide(form) {
    var item = form.closest(".hitem");
    busy(form, true, "Saving…");
    send(form).then(function (answer) {
      var data = answer.data;
      if (!answer.ok && !(data.html && data.html.item)) {
        busy(form, false);
        alertText(firstError(data));
        return;
      }
      alertText("");
      var fresh = fragment(data.html.item);
      item.replaceWith(fresh);
      if (!answer.ok) {
        var invalid = fresh.querySelector('[aria-invalid="true"]') ||
                      fresh.querySelector('.error[role="alert"]');
        if (invalid) {
          if (!invalid.matches("input, textarea")) { invalid.tabIndex = -1; }
          invalid.focus();
        }
        window.Handoff.announce(firstError(data));
        return;
      }
      fill("summary", data.html.summary);
      fill("history", data.html.history);
      Object.keys(data.groups || {}).forEach(function (group) {
        var label = root.querySelector('[data-group-open="' + group + '"]');
        if (!label) { return; }
        var open = data.groups[group];
        label.textContent = open ? open + " open" : "All done";
        label.classList.toggle("all-done", !open);
      });
      var total = root.querySelector("[data-open-total]");
      if (total && data.groups) {
        total.textContent = Object.keys(data.groups).reduce(function (sum, group) {
          return sum + data.groups[group];
        }, 0);
      }
      fresh.querySelector(".hitem-title").focus();
      window.Handoff.announce(data.message);
    });
  }

  // -- the letter ------------------------------------------------------------------------

  function bindLetter() {
    var form = root.querySelector("[data-handover-letter]");
    if (!form) { return; }
    var options = form.querySelector("[data-parting-options]");
    var draft = form.querySelector('[data-handover-options] input[name="draft"]');
    function sync() {
      // Each letter's own options are sent only with that letter.
      var parting = form.querySelector('input[name="kind"][value="parting"]');
      var isParting = Boolean(parting && parting.checked);
      options.disabled = !isParting;
      if (draft) { draft.disabled = isParting; }
    }
    form.querySelectorAll('input[name="kind"]').forEach(function (radio) {
      radio.addEventListener("change", sync);
    });
    sync();
  }

  document.addEventListener("DOMContentLoaded", function () {
    root = document.querySelector(".handover[data-state-url]");
    if (!root) { return; }
    root.addEventListener("submit", function (event) {
      var form = event.target;
      if (form.matches("[data-handover-check]")) {
        event.preventDefault();
        runCheck(form);
      } else if (form.matches("[data-handover-decision]")) {
        event.preventDefault();
        decide(form);
      }
    });
    root.addEventListener("handoff:job-finished", function (event) {
      refresh(event.target, event.detail);
    });
    bindLetter();
  });
}());
