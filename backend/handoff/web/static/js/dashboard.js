/* Handoff dashboard: small helpers every page script uses. No build step, no framework.
 *
 * window.Handoff.json(url, {method, body}) -> Promise of {ok, status, data}
 *   Sends the session's CSRF token (X-CSRF-Token) and JSON; never throws on 4xx/5xx.
 * window.Handoff.pollJob(url, onUpdate, {interval}) -> stop()
 *   Polls a job's JSON until it is finished; onUpdate(job) after every answer.
 * window.Handoff.announce(text)
 *   Says `text` to screen readers through the page's live region.
 */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function json(url, options) {
    options = options || {};
    var init = {
      method: options.method || "GET",
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRF-Token": csrfToken() }
    };
    if (options.body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(options.body);
    }
    return fetch(url, init).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { ok: response.ok, status: response.status, data: data };
      });
    }, function () {
      return { ok: false, status: 0,
               data: { message: "The dashboard did not answer. Is `handoff serve` running?" } };
    });
  }

  function pollJob(url, onUpdate, options) {
    var interval = (options && options.interval) || 700;
    var stopped = false;
    var timer = null;
    function tick() {
      json(url).then(function (answer) {
        if (stopped) { return; }
        if (answer.ok) { onUpdate(answer.data); }
        var finished = answer.ok && (answer.data.status === "done" || answer.data.status === "failed");
        if (!finished) { timer = window.setTimeout(tick, interval); }
      });
    }
    tick();
    return function stop() { stopped = true; window.clearTimeout(timer); };
  }

  function announce(text) {
    var region = document.getElementById("live-region");
    if (!region) { return; }
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  window.Handoff = { json: json, pollJob: pollJob, announce: announce, csrfToken: csrfToken };
}());
