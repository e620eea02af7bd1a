/* The menu editor (templates/menu_editor.html).
 *
 * The page carries the profile and the site's menu tree as JSON (#menu-model). This
 * script edits the profile in memory and draws the editor from it; it never decides
 * whether a profile is valid. Preview, Changes, Push and Save send the whole profile to
 * the server, which checks it with the core and answers field errors (paths into the
 * profile such as profile.menu[3].title) that are shown next to the item or field.
 */
(function () {
  "use strict";

  var STATES = [["visible", "Visible"], ["hidden", "Hidden"], ["denied", "Denied"]];
  var POLICY_STATE = { show: "visible", hide: "hidden", deny: "denied" };
  var FIELD_NAMES = { title: "Name shown", icon: "Icon", state: "State", slug: "Slug",
                      label: "Label", url: "Address", after: "After", children: "Submenu" };

  var H = window.Handoff;
  var modelNode = document.getElementById("menu-model");
  var root = document.getElementById("menu-editor");
  if (!modelNode || !root) { return; }

  var model = JSON.parse(modelNode.textContent);
  var draft = clone(model.profile);
  var baseline = JSON.stringify(draft);
  var lastSent = null;      // the profile of the last request: error paths point into it
  var siteItems = {};       // slug -> the site's top-level item
  var uid = 0;
  model.tree.forEach(function (item) { siteItems[item.slug] = item; });

  // -- small helpers ------------------------------------------------------------------

  function clone(value) { return JSON.parse(JSON.stringify(value)); }
  function byId(id) { return document.getElementById(id); }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) { return; }
      if (key === "text") { node.textContent = value; }
      else if (key === "class") { node.className = value; }
      else if (key === "checked" || key === "value" || key === "disabled") { node[key] = value; }
      else { node.setAttribute(key, value === true ? "" : value); }
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) { return; }
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function nextId(prefix) { uid += 1; return prefix + "-" + uid; }

  function setOrDelete(object, key, value, empty) {
    if (value === empty || value === undefined) { delete object[key]; }
    else { object[key] = value; }
  }

  function policyState() { return POLICY_STATE[draft.unknown_items || "hide"]; }
  function topRule(slug) {
    return (draft.menu || []).filter(function (rule) { return rule.slug === slug; })[0];
  }
  function siteTitle(slug) { return siteItems[slug] ? siteItems[slug].title : slug; }
  function siteChild(parent, slug) {
    var item = siteItems[parent];
    return item ? item.children.filter(function (c) { return c.slug === slug; })[0] : null;
  }
  function childKey(parent, slug) { return parent + " " + slug; }  // slugs have no spaces

  // -- dirty state -----------------------------------------------------------------------

  function changed() {
    var dirty = JSON.stringify(draft) !== baseline;
    byId("me-dirty").hidden = !dirty;
    refreshJson();
    return dirty;
  }

  window.addEventListener("beforeunload", function (event) {
    if (JSON.stringify(draft) !== baseline) { event.preventDefault(); event.returnValue = ""; }
  });

  // -- focus kept across redraws ---------------------------------------------------------

  function focusId() {
    var active = document.activeElement;
    return active && active.dataset ? active.dataset.focus || "" : "";
  }

  function refocus(id, fallbacks) {
    var ids = [id].concat(fallbacks || []);
    for (var i = 0; i < ids.length; i += 1) {
      if (!ids[i]) { continue; }
      var node = root.querySelector('[data-focus="' + CSS.escape(ids[i]) + '"]');
      if (node && !node.disabled) { node.focus(); return; }
    }
  }

  // -- the menu tree ---------------------------------------------------------------------

  function stateControl(key, label, current, onPick) {
    var name = nextId("state");
    var group = el("fieldset", { class: "seg" }, [
      el("legend", { class: "sr-only", text: "State of " + label })]);
    STATES.forEach(function (state) {
      var input = el("input", { type: "radio", name: name, value: state[0],
                                "data-focus": key + "|state-" + state[0],
                                checked: current === state[0] });
      input.addEventListener("change", function () { if (input.checked) { onPick(state[0]); } });
      group.appendChild(el("label", { class: "seg-opt seg-" + state[0] },
                           [input, el("span", { text: state[1] })]));
    });
    return group;
  }

  function renameInput(key, label, placeholder, rule) {
    var input = el("input", { type: "text", class: "mi-rename", maxlength: "100",
                              "aria-label": "Name shown for " + label, placeholder: placeholder,
                              value: rule.title || "", "data-focus": key + "|title",
                              autocomplete: "off" });
    input.addEventListener("input", function () {
      setOrDelete(rule, "title", input.value, "");
      changed();
    });
    return input;
  }

  function iconInput(key, label, site, rule) {
    var input = el("input", { type: "text", class: "mi-icon", list: "dashicons", maxlength: "100",
                              "aria-label": "Icon of " + label,
                              placeholder: (site && site.icon && site.icon.indexOf("dashicons-") === 0)
                                ? site.icon : "dashicons-…",
                              value: rule.icon || "", "data-focus": key + "|icon",
                              autocomplete: "off" });
    input.addEventListener("input", function () {
      setOrDelete(rule, "icon", input.value.trim(), "");
      changed();
    });
    return input;
  }

  function moveButtons(key, label, index, count) {
    var up = el("button", { type: "button", class: "icon-button", "aria-label": "Move " + label + " up",
                            title: "Move up (Alt+↑)", "data-focus": key + "|up",
                            disabled: index === 0, text: "↑" });
    var down = el("button", { type: "button", class: "icon-button", "aria-label": "Move " + label + " down",
                              title: "Move down (Alt+↓)", "data-focus": key + "|down",
                              disabled: index === count - 1, text: "↓" });
    up.addEventListener("click", function () { move(key, -1); });
    down.addEventListener("click", function () { move(key, 1); });
    return el("div", { class: "mi-move" }, [up, down]);
  }

  function label(title, slug, badges) {
    return el("div", { class: "mi-label" }, [
      el("span", { class: "mi-title", text: title }),
      el("code", { class: "mi-slug", text: slug })].concat(badges || []));
  }

  function badge(text, kind) { return el("span", { class: "badge mi-badge " + (kind || ""), text: text }); }

  function errorSlot(key) {
    return el("p", { class: "error mi-error", id: nextId("err-item"), "data-error-key": key, hidden: true });
  }

  function namedTopRow(rule, index, count) {
    var site = siteItems[rule.slug];
    var title = site ? site.title : rule.slug;
    var key = rule.slug;
    var badges = site ? [] : [badge("Not on this site", "mi-missing")];
    var li = el("li", { class: "mi", "data-key": key, "data-state": rule.state });
    li.appendChild(el("div", { class: "mi-row" }, [
      el("span", { class: "mi-handle", title: "Drag to reorder", "aria-hidden": "true", text: "⠿" }),
      label(title, rule.slug, badges),
      renameInput(key, title, title, rule),
      iconInput(key, title, site, rule),
      stateControl(key, title, rule.state, function (state) {
        rule.state = state;
        li.dataset.state = state;
        changed();
      }),
      moveButtons(key, title, index, count)]));
    li.appendChild(errorSlot(key));
    var children = childrenBlock(rule, site, title);
    if (children) { li.appendChild(children); }
    return li;
  }

  function unnamedTopRow(item) {
    var key = item.slug;
    var li = el("li", { class: "mi mi-unnamed", "data-key": key, "data-state": policyState() });
    li.appendChild(el("div", { class: "mi-row" }, [
      el("span", { class: "mi-handle-space" }),
      label(item.title, item.slug, [badge("Not in the profile: " + policyState())]),
      el("span"), el("span"),
      stateControl(key, item.title, "", function (state) {
        draft.menu.push({ slug: item.slug, state: state });
        redraw();
        H.announce(item.title + " added to the profile as " + state + ", last in the menu.");
      }),
      el("span")]));
    li.appendChild(errorSlot(key));
    return li;
  }

  function childrenBlock(rule, site, parentTitle) {
    var siteChildren = site ? site.children : [];
    if (!rule.children) {
      if (!siteChildren.length) { return null; }
      var edit = el("button", { type: "button", class: "button small", "data-focus": rule.slug + "|edit-sub",
                                "aria-label": "Edit the submenu of " + parentTitle, text: "Edit submenu" });
      edit.addEventListener("click", function () {
        rule.children = siteChildren.map(function (child) { return { slug: child.slug, state: "visible" }; });
        redraw();
        refocus(childKey(rule.slug, siteChildren[0].slug) + "|title");
        H.announce("The submenu of " + parentTitle + " is now part of the profile, every item visible.");
      });
      return el("div", { class: "mi-subnote" }, [
        el("span", { class: "muted", text: "Submenu as on the site: " +
                     siteChildren.map(function (c) { return c.title; }).join(", ") + "." }), edit]);
    }
    var list = el("ol", { class: "mi-children", "aria-label": "Submenu of " + parentTitle });
    rule.children.forEach(function (child, index) {
      list.appendChild(namedChildRow(rule, child, index, parentTitle));
    });
    siteChildren.forEach(function (child) {
      var named = rule.children.some(function (c) { return c.slug === child.slug; });
      if (!named) { list.appendChild(unnamedChildRow(rule, child, parentTitle)); }
    });
    return list;
  }

  function namedChildRow(rule, child, index, parentTitle) {
    var site = siteChild(rule.slug, child.slug);
    var title = site ? site.title : child.slug;
    var full = parentTitle + " › " + title;
    var key = childKey(rule.slug, child.slug);
    var li = el("li", { class: "mi mi-child", "data-key": key, "data-state": child.state });
    li.appendChild(el("div", { class: "mi-row" }, [
      el("span", { class: "mi-handle", title: "Drag to reorder", "aria-hidden": "true", text: "⠿" }),
      label(title, child.slug, site ? [] : [badge("Not on this site", "mi-missing")]),
      renameInput(key, full, title, child),
      el("span"),
      stateControl(key, full, child.state, function (state) {
        child.state = state;
        li.dataset.state = state;
        changed();
      }),
      moveButtons(key, full, index, rule.children.length)]));
    li.appendChild(errorSlot(key));
    return li;
  }

  function unnamedChildRow(rule, child, parentTitle) {
    var key = childKey(rule.slug, child.slug);
    var full = parentTitle + " › " + child.title;
    var li = el("li", { class: "mi mi-child mi-unnamed", "data-key": key, "data-state": policyState() });
    li.appendChild(el("div", { class: "mi-row" }, [
      el("span", { class: "mi-handle-space" }),
      label(child.title, child.slug, [badge("Not in the profile: " + policyState())]),
      el("span"), el("span"),
      stateControl(key, full, "", function (state) {
        rule.children.push({ slug: child.slug, state: state });
        redraw();
      }),
      el("span")]));
    li.appendChild(errorSlot(key));
    return li;
  }

  function drawTree() {
    var list = byId("me-tree");
    list.textContent = "";
    draft.menu = draft.menu || [];
    draft.menu.forEach(function (rule, index) {
      list.appendChild(namedTopRow(rule, index, draft.menu.length));
    });
    var unnamed = model.tree.filter(function (item) { return !topRule(item.slug); });
    byId("me-unnamed-block").hidden = unnamed.length === 0;
    byId("me-unnamed-hint").textContent = "The site has these items too. The profile does not name them, " +
      "so they follow the policy for unknown items (" + policyState() + "). Choose a state to add one.";
    var rest = byId("me-unnamed");
    rest.textContent = "";
    unnamed.forEach(function (item) { rest.appendChild(unnamedTopRow(item)); });
  }

  function redraw() {
    var id = focusId();
    drawTree();
    drawLinks();
    refocus(id, [id.replace(/\|up$/, "|down"), id.replace(/\|down$/, "|up")]);
    changed();
  }

  // -- reordering: buttons, Alt+arrows, drag and drop ------------------------------------

  function locate(key) {
    var parts = key.split(" ");
    if (parts.length === 1) {
      var index = draft.menu.indexOf(topRule(key));
      return index < 0 ? null : { list: draft.menu, index: index, title: siteTitle(key) };
    }
    var rule = topRule(parts[0]);
    if (!rule || !rule.children) { return null; }
    var at = -1;
    rule.children.forEach(function (c, i) { if (c.slug === parts[1]) { at = i; } });
    var site = siteChild(parts[0], parts[1]);
    return at < 0 ? null : { list: rule.children, index: at, title: site ? site.title : parts[1] };
  }

  // Moving a row moves its node (a menu of hundreds of items is not redrawn for it).
  function place(found, to, key) {
    var item = found.list.splice(found.index, 1)[0];
    found.list.splice(to, 0, item);
    var id = focusId();
    var li = root.querySelector('li.mi[data-key="' + CSS.escape(key) + '"]');
    var rows = li ? Array.prototype.filter.call(li.parentNode.children, function (node) {
      return !node.classList.contains("mi-unnamed") && node !== li;
    }) : [];
    if (li) {
      li.parentNode.insertBefore(li, rows[to] || li.parentNode.querySelector(":scope > .mi-unnamed"));
      rows.splice(to, 0, li);
      rows.forEach(function (row, index) {
        var buttons = row.querySelectorAll(":scope > .mi-row .mi-move button");
        buttons[0].disabled = index === 0;
        buttons[1].disabled = index === rows.length - 1;
      });
      if (found.list === draft.menu) { drawLinks(); }  // "Position" lists the items in order
      refocus(id, [id.replace(/\|up$/, "|down"), id.replace(/\|down$/, "|up")]);
      changed();
    } else {
      redraw();
    }
    H.announce(found.title + " moved to position " + (to + 1) + " of " + found.list.length + ".");
  }

  function move(key, delta) {
    var found = locate(key);
    if (!found) { return; }
    var to = found.index + delta;
    if (to < 0 || to >= found.list.length) {
      H.announce(found.title + " is already " + (delta < 0 ? "first" : "last") + ".");
      return;
    }
    place(found, to, key);
  }

  function moveNextTo(key, targetKey, after) {
    var found = locate(key);
    var target = locate(targetKey);
    if (!found || !target || found.list !== target.list || key === targetKey) { return; }
    var to = target.index + (after ? 1 : 0);
    if (found.index < to) { to -= 1; }
    if (to !== found.index) { place(found, to, key); }
  }

  function setUpReordering(tree) {
    var drag = null;
    tree.addEventListener("keydown", function (event) {
      if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) { return; }
      var li = event.target.closest("li.mi");
      if (!li || li.classList.contains("mi-unnamed")) { return; }
      event.preventDefault();
      move(li.dataset.key, event.key === "ArrowUp" ? -1 : 1);
    });
    tree.addEventListener("mousedown", function (event) {
      var handle = event.target.closest(".mi-handle");
      if (handle) { handle.closest("li.mi").draggable = true; }
    });
    document.addEventListener("mouseup", function () {
      if (!drag) { tree.querySelectorAll("li[draggable]").forEach(function (li) { li.removeAttribute("draggable"); }); }
    });
    tree.addEventListener("dragstart", function (event) {
      var li = event.target.closest ? event.target.closest("li.mi") : null;
      if (!li || !li.draggable) { event.preventDefault(); return; }
      drag = { key: li.dataset.key, list: li.parentNode, target: null, after: false };
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", li.dataset.key);
      li.classList.add("dragging");
    });
    tree.addEventListener("dragover", function (event) {
      if (!drag) { return; }
      var li = event.target.closest("li.mi");
      while (li && li.parentNode !== drag.list) { li = li.parentNode.closest("li.mi"); }
      if (!li) { return; }
      event.preventDefault();
      var box = li.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      tree.querySelectorAll(".drop-before, .drop-after").forEach(function (n) {
        n.classList.remove("drop-before", "drop-after");
      });
      if (li.dataset.key !== drag.key) { li.classList.add(after ? "drop-after" : "drop-before"); }
      drag.target = li.dataset.key;
      drag.after = after;
    });
    tree.addEventListener("drop", function (event) {
      if (!drag) { return; }
      event.preventDefault();
      var done = drag;
      drag = null;
      if (done.target) { moveNextTo(done.key, done.target, done.after); }
    });
    tree.addEventListener("dragend", function () {
      drag = null;
      tree.querySelectorAll(".dragging, .drop-before, .drop-after, li[draggable]").forEach(function (n) {
        n.classList.remove("dragging", "drop-before", "drop-after");
        n.removeAttribute("draggable");
      });
    });
  }

  // -- custom links ------------------------------------------------------------------------

  function linkField(id, text, control) {
    control.id = id;
    return el("div", { class: "field" }, [el("label", { for: id, text: text }), control]);
  }

  function drawLinks() {
    var box = byId("me-links");
    box.textContent = "";
    var links = draft.custom_links || [];
    if (!links.length) { box.appendChild(el("p", { class: "empty", text: "No custom links." })); }
    links.forEach(function (link, index) { box.appendChild(linkRow(link, index)); });
  }

  function linkRow(link, index) {
    var key = "link " + index;
    var number = index + 1;
    var text = function (value, focus, extra) {
      return el("input", Object.assign({ type: "text", value: value || "", autocomplete: "off",
                                         "data-focus": key + "|" + focus }, extra || {}));
    };
    var labelInput = text(link.label, "label", { maxlength: "100", placeholder: "Get help" });
    labelInput.addEventListener("input", function () { link.label = labelInput.value; changed(); });
    var url = text(link.url, "url", { maxlength: "2000", inputmode: "url",
                                      placeholder: "https://… or /a-page/" });
    url.addEventListener("input", function () { link.url = url.value.trim(); changed(); });
    var icon = text(link.icon, "icon", { list: "dashicons", placeholder: "dashicons-admin-links" });
    icon.addEventListener("input", function () { setOrDelete(link, "icon", icon.value.trim(), ""); changed(); });
    var after = el("select", { "data-focus": key + "|after" },
                   [el("option", { value: "", text: "At the end" })].concat(draft.menu.map(function (rule) {
                     return el("option", { value: rule.slug, text: "After " + (rule.title || siteTitle(rule.slug)) });
                   })));
    after.value = link.after || "";
    after.addEventListener("change", function () { setOrDelete(link, "after", after.value, ""); changed(); });
    var tab = el("input", { type: "checkbox", checked: !!link.new_tab, "data-focus": key + "|tab" });
    tab.addEventListener("change", function () { setOrDelete(link, "new_tab", tab.checked || undefined); changed(); });
    var remove = el("button", { type: "button", class: "button subtle", "aria-label": "Remove link " + number,
                                text: "Remove" });
    remove.addEventListener("click", function () {
      draft.custom_links.splice(index, 1);
      if (!draft.custom_links.length) { delete draft.custom_links; }
      drawLinks();
      changed();
      byId("me-add-link").focus();
      H.announce("Link " + number + " removed.");
    });
    var base = nextId("link");
    return el("fieldset", { class: "me-link", "data-link": String(index) }, [
      el("legend", { text: "Link " + number }),
      el("div", { class: "me-link-grid" }, [
        linkField(base + "-label", "Label", labelInput),
        linkField(base + "-url", "Address", url),
        linkField(base + "-icon", "Icon", icon),
        linkField(base + "-after", "Position", after)]),
      el("div", { class: "me-link-foot" }, [
        el("label", { class: "checkbox" }, [tab, " Open in a new tab"]), remove]),
      el("p", { class: "error mi-error", id: base + "-error", hidden: true })]);
  }

  function addLink() {
    draft.custom_links = draft.custom_links || [];
    draft.custom_links.push({ label: "", url: "" });
    drawLinks();
    changed();
    refocus("link " + (draft.custom_links.length - 1) + "|label");
  }

  // -- profile fields, targets, admin bar and dashboard ---------------------------------

  function setList(object, key, values) {
    if (values.length) { object[key] = values; } else { delete object[key]; }
  }

  function checkList(containerId, options, chosen, onChange) {
    var box = byId(containerId);
    box.textContent = "";
    var known = options.map(function (o) { return o.value; });
    chosen.forEach(function (value) {
      if (known.indexOf(value) < 0) { options.push({ value: value, label: value, hint: "not on this site" }); }
    });
    if (!options.length) { box.appendChild(el("p", { class: "empty", text: "None on this site." })); }
    options.forEach(function (option) {
      var input = el("input", { type: "checkbox", value: option.value, checked: chosen.indexOf(option.value) >= 0 });
      input.addEventListener("change", function () {
        var values = [];
        box.querySelectorAll("input:checked").forEach(function (n) { values.push(n.value); });
        onChange(values);
        changed();
      });
      box.appendChild(el("label", { class: "checkbox" }, [input, " " + option.label,
        option.hint ? el("span", { class: "muted", text: " " + option.hint }) : null]));
    });
  }

  function drawTargets() {
    draft.targets = draft.targets || {};
    var roles = model.roles.map(function (r) {
      return { value: r.name, label: r.label, hint: r.label.toLowerCase() !== r.name ? r.name : "" };
    });
    var users = function () {
      return model.users.map(function (u) { return { value: u.login, label: u.login, hint: u.roles.join(", ") }; });
    };
    checkList("p-roles", roles, draft.targets.roles || [], function (v) { setList(draft.targets, "roles", v); });
    checkList("p-users", users(), draft.targets.users || [], function (v) { setList(draft.targets, "users", v); });
    checkList("p-exempt", users(), draft.exempt_users || [], function (v) { setList(draft, "exempt_users", v); });
  }

  function drawChrome() {
    var bar = (draft.admin_bar || {}).remove || [];
    checkList("p-adminbar", model.admin_bar.map(function (n) { return { value: n.id, label: n.label || n.id, hint: n.label ? n.id : "" }; }),
              bar, function (values) {
                draft.admin_bar = draft.admin_bar || {};
                setList(draft.admin_bar, "remove", values);
                if (!Object.keys(draft.admin_bar).length) { delete draft.admin_bar; }
              });
    var widgets = (draft.dashboard || {}).remove_widgets || [];
    checkList("p-widgets", model.widgets.map(function (w) { return { value: w.id, label: w.label || w.id, hint: w.label ? w.id : "" }; }),
              widgets, function (values) {
                draft.dashboard = draft.dashboard || {};
                setList(draft.dashboard, "remove_widgets", values);
                if (!Object.keys(draft.dashboard).length) { delete draft.dashboard; }
              });
    var start = (draft.dashboard || {}).start_here || {};
    byId("p-start-title").value = start.title || "";
    byId("p-start-text").value = start.text || "";
    var contacts = (start.contacts || []).length;
    byId("p-start-contacts").hidden = !contacts;
    byId("p-start-contacts").textContent = contacts ? "Keeps " + contacts + " contact" + (contacts > 1 ? "s" : "") +
      " (edit them as JSON below)." : "";
    var notices = draft.notices || {};
    byId("p-nags").checked = notices.hide_update_nags !== false;
    byId("p-notices").checked = !!notices.hide_admin_notices;
  }

  function addChoice(inputId, list, containerRedraw) {
    var input = byId(inputId);
    var value = input.value.trim();
    if (!value) { input.focus(); return; }
    if (!list.some(function (o) { return o.id === value; })) { list.push({ id: value, label: "" }); }
    input.value = "";
    containerRedraw(value);
  }

  function bindChrome() {
    byId("p-adminbar-add").addEventListener("click", function () {
      addChoice("p-adminbar-new", model.admin_bar, function (value) {
        draft.admin_bar = draft.admin_bar || {};
        var list = draft.admin_bar.remove || [];
        if (list.indexOf(value) < 0) { list.push(value); }
        draft.admin_bar.remove = list;
        drawChrome();
        changed();
      });
    });
    byId("p-widgets-add").addEventListener("click", function () {
      addChoice("p-widgets-new", model.widgets, function (value) {
        draft.dashboard = draft.dashboard || {};
        var list = draft.dashboard.remove_widgets || [];
        if (list.indexOf(value) < 0) { list.push(value); }
        draft.dashboard.remove_widgets = list;
        drawChrome();
        changed();
      });
    });
    var startHere = function () {
      var title = byId("p-start-title").value;
      var text = byId("p-start-text").value;
      draft.dashboard = draft.dashboard || {};
      var contacts = (draft.dashboard.start_here || {}).contacts;
      if (!title && !text && !contacts) { delete draft.dashboard.start_here; }
      else {
        draft.dashboard.start_here = { title: title, text: text };
        if (contacts) { draft.dashboard.start_here.contacts = contacts; }
      }
      if (!Object.keys(draft.dashboard).length) { delete draft.dashboard; }
      changed();
    };
    byId("p-start-title").addEventListener("input", startHere);
    byId("p-start-text").addEventListener("input", startHere);
    var notices = function () {
      draft.notices = { hide_update_nags: byId("p-nags").checked,
                        hide_admin_notices: byId("p-notices").checked };
      changed();
    };
    byId("p-nags").addEventListener("change", notices);
    byId("p-notices").addEventListener("change", notices);
  }

  function drawProfileFields() {
    byId("p-name").value = draft.name || "";
    byId("p-description").value = draft.description || "";
    root.querySelectorAll('input[name="p-unknown"]').forEach(function (input) {
      input.checked = input.value === (draft.unknown_items || "hide");
    });
    root.querySelectorAll('input[name="p-combine"]').forEach(function (input) {
      input.checked = input.value === (draft.combine || "all_roles");
    });
  }

  function bindProfileFields() {
    byId("p-name").addEventListener("input", function (e) { draft.name = e.target.value; changed(); });
    byId("p-description").addEventListener("input", function (e) {
      setOrDelete(draft, "description", e.target.value, "");
      changed();
    });
    root.querySelectorAll('input[name="p-unknown"]').forEach(function (input) {
      input.addEventListener("change", function () { draft.unknown_items = input.value; redraw(); });
    });
    root.querySelectorAll('input[name="p-combine"]').forEach(function (input) {
      input.addEventListener("change", function () { draft.combine = input.value; changed(); });
    });
  }

  function drawAll() {
    drawProfileFields();
    drawTargets();
    drawTree();
    drawLinks();
    drawChrome();
    changed();
  }

  // -- the profile as JSON ----------------------------------------------------------------

  function refreshJson() {
    var box = byId("me-json-box");
    if (box.open && document.activeElement !== byId("me-json")) {
      byId("me-json").value = JSON.stringify(draft, null, 2);
    }
  }

  function bindJson() {
    var box = byId("me-json-box");
    box.addEventListener("toggle", refreshJson);
    byId("me-json-apply").addEventListener("click", function () {
      var slot = byId("err-json");
      var parsed;
      try { parsed = JSON.parse(byId("me-json").value); }
      catch (error) { showSlot(slot, "Not valid JSON: " + error.message); return; }
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
        showSlot(slot, "The profile must be a JSON object.");
        return;
      }
      clearSlot(slot);
      var previous = draft;
      draft = parsed;
      try {
        drawAll();
      } catch (error) {  // shapes the editor cannot draw (a list where an object belongs)
        draft = previous;
        drawAll();
        showSlot(slot, "The editor cannot show this profile (" + error.message +
                 "); check it against the format. Nothing changed.");
        return;
      }
      H.announce("The JSON is in the editor. Preview or push to have it checked.");
    });
  }

  // -- errors next to their fields ---------------------------------------------------------

  // field prefix, error slot, control to focus (null: the first input near the slot), title
  var FIXED_SLOTS = [
    ["profile.name", "err-name", "p-name", "Name"],
    ["profile.description", "err-description", "p-description", "Description"],
    ["profile.targets", "err-targets", null, "Roles"],
    ["profile.exempt_users", "err-exempt_users", null, "Never restricted"],
    ["profile.combine", "err-combine", null, "Several roles"],
    ["profile.unknown_items", "err-unknown_items", null, "Items not named"],
    ["profile.custom_links", "err-custom_links", "me-add-link", "Custom links"],
    ["profile.admin_bar", "err-admin_bar", "p-adminbar-new", "Admin bar"],
    ["profile.dashboard.start_here", "err-start_here", "p-start-title", "Start here panel"],
    ["profile.dashboard", "err-dashboard", "p-widgets-new", "Dashboard widgets"],
    ["profile.notices", "err-notices", "p-nags", "Notices"],
    ["profile.menu", "err-menu", null, "Admin menu"],
    ["role", "err-role", "pv-role", "Preview role"], ["user", "err-user", "pv-user", "Preview user"],
    ["name", "err-sv-name", "sv-name", "Saved name"],
    ["description", "err-sv-description", "sv-description", "Saved description"]];

  function showSlot(slot, message) {
    slot.textContent = slot.hidden || !slot.textContent ? message : slot.textContent + " " + message;
    slot.hidden = false;
  }
  function clearSlot(slot) { slot.textContent = ""; slot.hidden = true; }

  function clearErrors() {
    document.querySelectorAll(".me .error, .me-dialog .error").forEach(clearSlot);
    document.querySelectorAll('.me [aria-invalid="true"], .me-dialog [aria-invalid="true"]').forEach(function (n) {
      n.removeAttribute("aria-invalid");
    });
  }

  function fieldName(rest) {
    var last = rest.replace(/\[\d+\]/g, "").split(".").pop();
    return FIELD_NAMES[last] || last;
  }

  function itemSlot(field) {
    var match = /^profile\.menu\[(\d+)\](?:\.children\[(\d+)\])?(.*)$/.exec(field);
    if (!match || !lastSent || !lastSent.menu || !lastSent.menu[match[1]]) { return null; }
    var top = lastSent.menu[match[1]];
    var key = top.slug;
    var title = siteTitle(top.slug);
    if (match[2] !== undefined && top.children && top.children[match[2]]) {
      var child = top.children[match[2]];
      key = childKey(top.slug, child.slug);
      var site = siteChild(top.slug, child.slug);
      title += " › " + (site ? site.title : child.slug);
    } else if (match[2] !== undefined) { return null; }
    var li = root.querySelector('li.mi[data-key="' + CSS.escape(key) + '"]');
    if (!li) { return null; }
    var rest = match[3] || "";
    var focus = rest.indexOf(".title") === 0 ? li.querySelector(".mi-rename")
      : rest.indexOf(".icon") === 0 ? li.querySelector(".mi-icon") : li.querySelector(".mi-row input");
    return { slot: li.querySelector(":scope > .mi-error"), focus: focus, title: title,
             prefix: rest ? fieldName(rest) + ": " : "" };
  }

  function linkSlot(field) {
    var match = /^profile\.custom_links\[(\d+)\](.*)$/.exec(field);
    if (!match) { return null; }
    var row = root.querySelector('.me-link[data-link="' + match[1] + '"]');
    if (!row) { return null; }
    var rest = match[2] || "";
    var which = rest.indexOf(".url") === 0 ? "url" : rest.indexOf(".icon") === 0 ? "icon"
      : rest.indexOf(".after") === 0 ? "after" : "label";
    return { slot: row.querySelector(".mi-error"), title: "Link " + (Number(match[1]) + 1),
             focus: row.querySelector('[data-focus="link ' + match[1] + "|" + which + '"]'),
             prefix: rest ? fieldName(rest) + ": " : "" };
  }

  function slotFor(field) {
    var found = itemSlot(field) || linkSlot(field);
    if (found) { return found; }
    for (var i = 0; i < FIXED_SLOTS.length; i += 1) {
      var prefix = FIXED_SLOTS[i][0];
      if (field === prefix || field.indexOf(prefix + ".") === 0 || field.indexOf(prefix + "[") === 0) {
        var slot = byId(FIXED_SLOTS[i][1]);
        var focus = FIXED_SLOTS[i][2] ? byId(FIXED_SLOTS[i][2]) : slot.parentNode.querySelector("input");
        return { slot: slot, focus: focus, title: FIXED_SLOTS[i][3], prefix: "" };
      }
    }
    return { slot: byId("err-general"), focus: null, title: "The profile", prefix: "" };
  }

  function showErrors(errors) {
    var problems = [];
    Object.keys(errors).forEach(function (field) {
      var found = slotFor(field);
      showSlot(found.slot, found.prefix + errors[field]);
      if (found.focus) {
        found.focus.setAttribute("aria-invalid", "true");
        found.focus.setAttribute("aria-describedby", found.slot.id);
      }
      problems.push({ found: found, message: errors[field] });
    });
    var list = el("ul", { class: "me-problems" }, problems.map(function (p) {
      var go = el("button", { type: "button", class: "link-button",
                              text: p.found.title + ": " + p.found.prefix + p.message });
      go.addEventListener("click", function () { reveal(p.found.slot, p.found.focus); });
      return el("li", {}, [go]);
    }));
    var count = problems.length;
    status("error", [el("strong", { text: count + " problem" + (count > 1 ? "s" : "") + ". Nothing was sent to the site." }), list]);
  }

  function reveal(slot, focus) {
    var panel = slot.closest('[role="tabpanel"]');
    if (panel) { selectTab(byId(panel.getAttribute("aria-labelledby")), false); }
    if (slot.closest("dialog") && !slot.closest("dialog").open) { slot.closest("dialog").showModal(); }
    (focus || slot).scrollIntoView({ block: "center" });
    if (focus) { focus.focus(); }
  }

  // -- the status line under the toolbar -------------------------------------------------

  function status(kind, children) {
    var box = byId("me-status");
    box.textContent = "";
    if (!kind) { return; }
    box.appendChild(el("div", { class: "flash flash-" + kind }, children));
    H.announce(box.textContent);
  }

  // An answer without problems clears the problems shown, not other news (a push result).
  function clearProblems() {
    if (byId("me-status").querySelector(".flash-error")) { status(null); }
  }

  function failed(answer) {
    var data = answer.data || {};
    if (answer.status === 400 && data.errors) { showErrors(data.errors); return; }
    var text = data.message || "The dashboard refused the request (" + answer.status + ").";
    if (answer.status === 401) { text = "Your session ended. Log in again in another tab, then retry."; }
    status("error", [text + (data.fix ? " Fix: " + data.fix + "." : "")]);
  }

  function send(url, body) {
    clearErrors();
    if (body.profile) { lastSent = clone(body.profile); }
    return H.json(url, { method: "POST", body: body });
  }

  // -- preview ------------------------------------------------------------------------------

  function drawPreviewMenu(items) {
    return el("ul", { class: "wp-menu" }, items.map(function (item) {
      var icon = el("span", { class: "wp-icon", "aria-hidden": "true" });
      var title = el("span", { class: "wp-title", text: item.title });
      var extra = item.custom ? el("span", { class: "wp-link", text: item.new_tab ? " ↗ new tab" : " link" }) : null;
      var sub = (item.children || []).length ? el("ul", { class: "wp-sub" }, item.children.map(function (child) {
        return el("li", { text: child.title });
      })) : null;
      return el("li", { class: "wp-item" }, [el("div", { class: "wp-top" }, [icon, title, extra]), sub]);
    }));
  }

  function drawPreview(data) {
    var box = byId("pv-result");
    box.textContent = "";
    var notes = [el("h3", { text: "Screens that refuse to open" })];
    if (!data.applies) {
      notes = [el("p", { class: "flash flash-warning", text: "This profile does not apply to " + data.who +
        ": they keep the menu shown here. Choose the roles in “Who gets this menu”." })];
    } else if (!data.denied.length) {
      notes.push(el("p", { class: "empty", text: "None. Hidden items still open by their address." }));
    } else {
      notes.push(el("ul", { class: "pv-denied" }, groupedDenied(data.denied).map(deniedItem)));
    }
    box.appendChild(el("div", { class: "pv-layout" }, [
      el("div", { class: "wp-frame" }, [
        el("p", { class: "wp-caption", text: "wp-admin as " + data.who + " sees it" }),
        drawPreviewMenu(data.menu)]),
      el("div", { class: "pv-notes" }, notes)]));
  }

  function runPreview() {
    var body = { profile: clone(draft) };
    var user = byId("pv-user").value;
    if (user) { body.user = user; } else { body.role = byId("pv-role").value; }
    byId("pv-result").textContent = "Loading the preview…";
    send(model.urls.preview, body).then(function (answer) {
      byId("pv-result").textContent = "";
      if (!answer.ok) { failed(answer); return; }
      clearProblems();
      drawPreview(answer.data);
    });
  }

  function fillPreviewChoices() {
    var role = byId("pv-role");
    var targeted = (draft.targets || {}).roles || [];
    model.roles.forEach(function (r) { role.appendChild(el("option", { value: r.name, text: r.label })); });
    var first = model.roles.filter(function (r) { return targeted.indexOf(r.name) >= 0; })[0];
    role.value = first ? first.name : (model.roles.some(function (r) { return r.name === "editor"; }) ? "editor" : role.value);
    var user = byId("pv-user");
    model.users.forEach(function (u) {
      user.appendChild(el("option", { value: u.login, text: u.login + " (" + u.roles.join(", ") + ")" }));
    });
    byId("pv-form").addEventListener("submit", function (event) { event.preventDefault(); runPreview(); });
  }

  // -- changes ------------------------------------------------------------------------------

  function deniedTitle(entry) {
    if (!entry.parent) { return siteTitle(entry.slug); }
    var child = siteChild(entry.parent, entry.slug);
    return siteTitle(entry.parent) + " › " + (child ? child.title : entry.slug);
  }

  // A denied top-level item takes its submenu with it: one line, with the count.
  function groupedDenied(entries) {
    var whole = entries.filter(function (d) { return !d.parent; }).map(function (d) { return d.slug; });
    return entries.filter(function (d) { return !d.parent || whole.indexOf(d.parent) < 0; }).map(function (d) {
      var below = d.parent ? 0 : entries.filter(function (e) { return e.parent === d.slug; }).length;
      return { slug: d.slug, title: d.title || deniedTitle(d),
               note: below ? " and its " + below + " submenu screen" + (below > 1 ? "s" : "") : "" };
    });
  }

  function deniedItem(d) {
    return el("li", {}, [d.title + " ", el("code", { class: "muted", text: d.slug }),
                         d.note ? el("span", { class: "muted", text: d.note }) : null]);
  }

  function section(title, items, draw) {
    if (!items.length) { return null; }
    return el("div", { class: "df-section" }, [el("h3", { text: title }), el("ul", { class: "df-list" }, items.map(draw))]);
  }

  function drawDiff(data) {
    var box = byId("df-result");
    box.textContent = "";
    var site = data.site_profile;
    var head = data.same_as_site ? "The site already has exactly this profile (version " + site.version + "). A push sends nothing."
      : site.hash ? "Compared with “" + (site.name || "unnamed") + "”, version " + site.version + " on the site."
      : "The site has no profile yet: compared with its full menu.";
    box.appendChild(el("p", { class: "df-head", text: head }));
    if (model.version !== null && site.version !== model.version) {
      box.appendChild(el("p", { class: "flash flash-warning", text: "The site's profile changed since this page was opened " +
        "(version " + model.version + " then, " + site.version + " now). A push will be refused; reload the page to edit the site's version." }));
    }
    var shown = data.roles.filter(function (r) { return r.restricted || r.changes.length; });
    shown.forEach(function (role) {
      var count = role.changes.length;
      box.appendChild(el("div", { class: "df-role" }, [
        el("h3", {}, [role.role + " ", badge(role.restricted ? "gets this menu" : "not restricted", role.restricted ? "state-active" : ""),
                      el("span", { class: "muted", text: " " + (count || "no") + " change" + (count === 1 ? "" : "s") })]),
        count ? el("ul", { class: "df-list" }, role.changes.map(function (change) {
          return el("li", {}, [badge(change.kind, "df-" + change.kind), " " + change.path,
                               change.detail ? el("span", { class: "muted", text: " (" + change.detail + ")" }) : null]);
        })) : null]));
    });
    var unchanged = data.roles.filter(function (r) { return shown.indexOf(r) < 0; }).map(function (r) { return r.role; });
    if (unchanged.length) { box.appendChild(el("p", { class: "muted", text: "No change for: " + unchanged.join(", ") + "." })); }
    [section("Screens that refuse to open", groupedDenied(data.denied), deniedItem), section("Named by the profile, not on the site", data.missing, function (slug) {
      return el("li", {}, [el("code", { text: slug })]);
    }), section("On the site, not named by the profile", data.drift, function (d) {
      return el("li", {}, [d.title + " ", el("code", { class: "muted", text: d.slug }), " → " + d.policy]);
    }), section("Warnings", data.warnings, function (w) {
      return el("li", { class: "df-warning", text: w });
    }), enforcementNode(data.enforcement)].forEach(function (node) { if (node) { box.appendChild(node); } });
  }

  // After a push: what the site reports it closes now, above the comparison.
  function drawPushed(result) {
    var box = byId("df-pushed");
    box.textContent = "";
    if (result.unchanged || !result.enforcement) { return; }
    box.appendChild(el("p", { class: "df-head", text: "Pushed as version " + result.version + ". What the site reports it closes now:" }));
    box.appendChild(enforcementNode(result.enforcement));
  }

  // The site's enforcement report: per denied item and target, each door ✔ closed, ✘ open
  // or ? unknown, then why each door not closed stays so (the same table as `menu diff`).
  var DOORS = [["screen", "Screen"], ["rest", "REST"], ["admin_ajax", "admin-ajax"], ["admin_post", "admin-post"], ["xmlrpc", "XML-RPC"]];
  var MARKS = { closed: ["✔", "df-closed", "closed"], open: ["✘", "df-open", "open"], unknown: ["?", "df-unknown", "unknown"] };

  function itemLabel(item) {
    var path = item.parent ? item.parent + " › " + item.slug : item.slug;
    var title = item.title || deniedTitle(item);
    return title && title !== item.slug ? title + " (" + path + ")" : path;
  }

  function doorCell(door) {
    var mark = MARKS[door.status] || MARKS.unknown;
    return el("td", { class: "df-door " + mark[1] }, [el("span", { "aria-hidden": "true", text: mark[0] }),
                                                     el("span", { class: "sr-only", text: mark[2] })]);
  }

  function enforcementNode(report) {
    if (!report) { return null; }
    var wrap = el("div", { class: "df-section df-enforcement" }, [el("h3", { text: "What “denied” closes, door by door" })]);
    if (!report.reported) {
      wrap.appendChild(el("p", { class: "df-warning", text: "Enforcement: " + report.note + "." }));
      return wrap;
    }
    if (!report.items.length) {
      wrap.appendChild(el("p", { class: "muted", text: "The profile denies nothing on this site." }));
      return wrap;
    }
    wrap.appendChild(el("p", { class: "df-head", text: "Enforcement: " + report.summary + "." }));
    var rows = [], reasons = [];
    report.items.forEach(function (item) {
      var label = itemLabel(item);
      item.targets.forEach(function (target) {
        rows.push(el("tr", {}, [el("th", { scope: "row", text: label }), el("td", { text: target.target })].concat(
          DOORS.map(function (door) { return doorCell(target.doors[door[0]]); }))));
        DOORS.forEach(function (door) {
          var d = target.doors[door[0]];
          if (d.status !== "closed") {
            reasons.push(el("li", { class: (MARKS[d.status] || MARKS.unknown)[1] }, [
              (MARKS[d.status] || MARKS.unknown)[0] + " " + label + ", " + target.target + ", " + door[1] + ": " + (d.reason || "no reason given")]));
          }
        });
      });
    });
    var head = el("tr", {}, [el("th", { scope: "col", text: "Denied item" }), el("th", { scope: "col", text: "For" })].concat(
      DOORS.map(function (door) { return el("th", { scope: "col", text: door[1] }); })));
    wrap.appendChild(el("table", { class: "df-doors" }, [el("caption", { class: "muted", text: "✔ closed · ✘ open · ? unknown" }),
                                                         el("thead", {}, [head]), el("tbody", {}, rows)]));
    if (reasons.length) { wrap.appendChild(el("ul", { class: "df-list df-reasons" }, reasons)); }
    return wrap;
  }

  function runDiff() {
    byId("df-result").textContent = "Comparing with the site…";
    send(model.urls.diff, { profile: clone(draft) }).then(function (answer) {
      byId("df-result").textContent = "";
      if (!answer.ok) { failed(answer); return; }
      clearProblems();
      drawDiff(answer.data);
    });
  }

  // -- push and save ------------------------------------------------------------------------

  function push(expectVersion) {
    var button = byId("me-push");
    button.disabled = true;
    status("info", ["Pushing to " + model.site + "…"]);
    send(model.urls.push, { profile: clone(draft), expect_version: expectVersion }).then(function (answer) {
      button.disabled = false;
      if (answer.status === 409) { conflict(answer.data); return; }
      if (!answer.ok) { failed(answer); return; }
      var result = answer.data;
      model.version = result.version;
      model.site_hash = result.hash;
      baseline = JSON.stringify(draft);
      changed();
      var text = result.unchanged ? "The site already had this profile (version " + result.version + "); nothing was sent."
        : "Pushed to " + model.site + " as version " + result.version + " (" + result.hash.slice(0, 12) + ").";
      drawPushed(result);
      if (byId("tab-changes").getAttribute("aria-selected") === "true") { runDiff(); }
      else { byId("df-result").textContent = ""; }
      var summary = byId("onsite-summary");
      if (summary) { summary.textContent = (draft.name || "(unnamed)") + " · v" + result.version + " · " + result.hash.slice(0, 12); }
      var enforced = result.enforcement ? " Enforcement: " + (result.enforcement.reported ? result.enforcement.summary : result.enforcement.note) +
        " (details under Changes)." : "";
      status(result.warnings.length ? "warning" : "ok", [text + enforced, result.warnings.length ? el("ul", {}, result.warnings.map(function (w) {
        return el("li", { text: w });
      })) : null]);
    });
  }

  function conflict(data) {
    var anyway = el("button", { type: "button", class: "button", text: "Push anyway (replace version " + data.current_version + ")" });
    anyway.addEventListener("click", function () { push(data.current_version); });
    var compare = el("button", { type: "button", class: "button", text: "Show changes" });
    compare.addEventListener("click", function () { selectTab(byId("tab-changes"), true); });
    status("error", [el("strong", { text: "The site's menu profile changed after this page was opened. " }),
                     el("p", { text: data.message + " Nothing was written." }),
                     el("div", { class: "actions" }, [compare, anyway])]);
  }

  function slug(text) {
    return (text || "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 64);
  }

  function bindSave() {
    var dialog = byId("me-save-dialog");
    byId("me-save-open").addEventListener("click", function () {
      clearErrors();
      if (!byId("sv-name").value) { byId("sv-name").value = slug(draft.name); }
      byId("sv-description").value = draft.description || "";
      dialog.showModal();
      byId("sv-name").focus();
    });
    byId("sv-cancel").addEventListener("click", function () { dialog.close(); });
    byId("me-save-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var body = { name: byId("sv-name").value.trim(), description: byId("sv-description").value,
                   replace: byId("sv-replace").checked, profile: clone(draft) };
      send(model.urls.save, body).then(function (answer) {
        if (answer.ok) {
          dialog.close();
          var link = el("a", { href: model.urls.library + "/" + encodeURIComponent(answer.data.name), text: "Open it in the library" });
          status("ok", ["Saved “" + answer.data.name + "” in the library. ", link]);
          return;
        }
        var errors = (answer.data || {}).errors;
        if (errors && (errors.name || errors.description) && Object.keys(errors).length <= 2) {
          Object.keys(errors).forEach(function (field) { showSlot(byId("err-sv-" + field), errors[field]); });
          byId("sv-name").focus();
          return;
        }
        dialog.close();
        failed(answer);
      });
    });
  }

  // -- tabs ---------------------------------------------------------------------------------

  var TABS = ["tab-edit", "tab-preview", "tab-changes"];

  function selectTab(tab, focus) {
    TABS.forEach(function (id) {
      var other = byId(id);
      var on = other === tab;
      other.setAttribute("aria-selected", on ? "true" : "false");
      other.tabIndex = on ? 0 : -1;
      byId(other.getAttribute("aria-controls")).hidden = !on;
    });
    if (focus) { tab.focus(); }
    if (tab.id === "tab-changes") { runDiff(); }
    if (tab.id === "tab-preview" && !byId("pv-result").childNodes.length) { runPreview(); }
  }

  function bindTabs() {
    TABS.forEach(function (id, index) {
      var tab = byId(id);
      tab.addEventListener("click", function () { selectTab(tab, false); });
      tab.addEventListener("keydown", function (event) {
        var to = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: TABS.length - 1 }[event.key];
        if (to === undefined) { return; }
        event.preventDefault();
        selectTab(byId(TABS[(to + TABS.length) % TABS.length]), true);
      });
    });
  }

  // -- start --------------------------------------------------------------------------------

  root.hidden = false;
  bindTabs();
  bindProfileFields();
  bindChrome();
  bindJson();
  bindSave();
  setUpReordering(byId("me-tree"));
  byId("me-add-link").addEventListener("click", addLink);
  byId("df-run").addEventListener("click", runDiff);
  fillPreviewChoices();
  var pushButton = byId("me-push");
  if (model.version === null) {
    pushButton.disabled = true;
    pushButton.title = "The site's profile could not be read; reload when the site answers.";
  }
  pushButton.addEventListener("click", function () { push(model.version); });
  drawAll();
  performance.mark("menu-editor-drawn");  // read by tests/bench/menu_editor.py
}());
