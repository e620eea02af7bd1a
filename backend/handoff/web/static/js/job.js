/* Keeps every job card of the page (see _job.html) current until its job finishes. */
(function () {
  "use strict";

  function text(card, field, value) {
    var node = card.querySelector('[data-job-field="' + field + '"]');
    if (node) { node.textContent = value; }
    return node;
  }

  function row(item) {
    var tr = document.createElement("tr");
    var site = document.createElement("th");
    site.scope = "row";
    site.textContent = item.target;
    var result = document.createElement("td");
    result.className = item.ok ? "status-ok" : "status-failed";
    result.textContent = item.ok ? "ok" : "failed";
    var details = document.createElement("td");
    details.textContent = item.message;
    if (item.detail && item.detail.fix) {
      var fix = document.createElement("span");
      fix.className = "muted";
      fix.textContent = " Fix: " + item.detail.fix;
      details.appendChild(fix);
    }
    tr.append(site, result, details);
    return tr;
  }

  function render(card, job) {
    var badge = text(card, "status", job.status);
    badge.className = "badge job-" + job.status;
    text(card, "done", job.done);
    text(card, "total", job.total);
    text(card, "ok", job.ok);
    text(card, "failed", job.failed);
    var error = text(card, "error", job.error || "");
    error.hidden = !job.error;
    var bar = card.querySelector(".progress");
    bar.setAttribute("aria-valuenow", job.done);
    bar.setAttribute("aria-valuemax", job.total);
    bar.classList.toggle("has-failures", job.failed > 0);
    bar.firstElementChild.style.width = (job.total ? 100 * job.done / job.total : 0) + "%";
    var body = card.querySelector("[data-job-items]");
    for (var i = body.children.length; i < job.items.length; i += 1) {
      body.appendChild(row(job.items[i]));
    }
    card.dataset.jobStatus = job.status;
    if (job.status === "done" || job.status === "failed") {
      window.Handoff.announce(job.title + ": " + job.status + ", " + job.ok + " ok, " +
                              job.failed + " failed.");
      card.dispatchEvent(new CustomEvent("handoff:job-finished", { bubbles: true, detail: job }));
    }
  }

  function watch(card) {
    var bar = card.querySelector(".progress > span");
    bar.style.width = bar.dataset.width + "%";
    var status = card.dataset.jobStatus;
    if (status === "done" || status === "failed") { return; }
    window.Handoff.pollJob(card.dataset.jobUrl, function (job) { render(card, job); });
  }

  window.HandoffJobs = { watch: watch };
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".card.job[data-job-url]").forEach(watch);
  });
}());
