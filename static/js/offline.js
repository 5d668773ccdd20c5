/* Club leaders' pages work with no signal (docs/offline.md).
   Loaded by every page of a signed-in user, and by the service worker (/sw.js), which takes
   only the first part: the drafts' database and their sending (Background Sync).
   On every page of a signed-in user:
   - tells the service worker (/sw.js) who is signed in, and drops the pages kept for anyone
     else; for a club leader, registers the service worker and keeps the club's pages (the
     record sheets of the last month and the next two, the dues quick entry) for opening with
     no signal;
   - sends the drafts saved on this phone and not sent yet, when the page opens with a signal
     and when the signal comes back ("online", and Background Sync where the browser has it);
   - logging out deletes this user's kept pages and unsent drafts (after asking, if any).
   On a form kept as a draft (form[data-offline]: the record sheet, the dues quick entry):
   - every change is kept at once in IndexedDB (Dexie), and restored when the form is
     opened again, with its state: "saved on this phone — not sent", "sending…", "sent at",
     "error — needs fixing";
   - saving keeps the draft and sends it to the form's sync address (data-sync-url) with a key
     made on this phone (accounts/once.py: the server records it once whatever the retries);
     a refusal comes back with each error beside its row, and the draft stays until taken.
   - the record sheet also carries the meeting's version (month/offline.py: a meeting changed
     since is refused with the reason, and both versions are shown member by member to choose
     from); the dues quick entry shows, beside a member whose dues were recorded meanwhile,
     what the server holds.
   Without JavaScript, or without IndexedDB, the forms are the plain forms they always were. */
(function (root) {
  "use strict";

  // --- Drafts and sending: shared with the service worker ----------------------------------

  function openDb() {
    var db = new root.Dexie("ishc-offline");
    // ``kind``: "sheet" (id <user>:<meeting>) or "dues" (id <user>:dues:<club>:<yyyy>-<mm>).
    db.version(1).stores({ drafts: "id, user, meeting, state" });
    return db;
  }

  function fetchState(user) {
    return fetch("/offline/state.json", { credentials: "same-origin", cache: "no-store" })
      .then(function (answer) {
        var type = answer.headers.get("Content-Type") || "";
        if (!answer.ok || answer.redirected || type.indexOf("json") === -1) {
          throw { login: true };
        }
        return answer.json();
      }).then(function (state) {
        if (String(state.user) !== user) {
          throw { login: true };
        }
        return state;
      });
  }

  // Sends the drafts of ``user`` kept in ``db``. ``hooks.report(draft, how)`` shows a draft's
  // new state; ``hooks.waiting()`` is told a draft waits for a signal; ``hooks.sent(draft)``
  // that one was taken.
  function sender(db, user, hooks) {
    var report = hooks.report || function () {};

    // Write ``change`` into the kept draft unless it was changed since ``sent`` was taken from
    // it (the newer change wins: it is sent next, with a new key).
    function settle(sent, change) {
      return db.drafts.get(sent.id).then(function (latest) {
        latest = latest || sent;
        if (latest.changedAt === sent.changedAt) {
          change(latest);
        } else if (change.always) {
          change.always(latest);
        }
        return db.drafts.put(latest).then(function () { return latest; });
      });
    }

    function waiting(d, how) {
      if (hooks.waiting) {
        hooks.waiting();
      }
      report(d, how);
    }

    function send(kept) {
      kept.keyUsed = true;
      var draft = JSON.parse(JSON.stringify(kept));
      if (!navigator.onLine) {
        return settle(draft, function (d) { d.state = "queued"; d.keyUsed = kept.keyUsed; })
          .then(function (d) { waiting(d, { queued: true }); });
      }
      draft.state = "sending";
      report(draft, {});
      return db.drafts.put(draft).then(function () { return fetchState(user); }).then(function (state) {
        var body = new URLSearchParams();
        draft.post.forEach(function (pair) {
          if (pair[0] !== "once_key" && pair[0] !== "version" && pair[0] !== "csrfmiddlewaretoken") {
            body.append(pair[0], pair[1]);
          }
        });
        body.set("once_key", draft.key);
        if (draft.version) {
          body.set("version", draft.version);
        }
        body.set("csrfmiddlewaretoken", state.csrf);
        return fetch(draft.sync, {
          method: "POST",
          body: body,
          credentials: "same-origin",
          headers: { "X-CSRFToken": state.csrf, "Accept": "application/json" },
        });
      }).then(function (answer) {
        var type = answer.headers.get("Content-Type") || "";
        if (answer.redirected && answer.url.indexOf("/accounts/login/") !== -1) {
          throw { login: true };
        }
        if (type.indexOf("json") === -1) {
          throw { status: answer.status };
        }
        return answer.json();
      }).then(function (answer) {
        if (answer.state === "sent") {
          var sentChange = function (d) {
            d.state = "sent";
            d.sentAt = Date.now();
            d.answer = null;
            d.conflict = null;
          };
          // Changed while it was being sent: the change stays a draft, on the new version.
          sentChange.always = function (d) {
            if (answer.version) {
              d.version = answer.version;
            }
            d.state = "draft";
          };
          return settle(draft, sentChange).then(function (d) {
            if (d.state !== "sent") {
              report(d, {});
              return;
            }
            if (hooks.sent) {
              hooks.sent(d);
            }
            report(d, { url: answer.url });
          });
        }
        return settle(draft, function (d) {
          d.state = "error";
          d.answer = answer.state === "refused" ? answer : null;
          d.conflict = answer.state === "conflict" ? answer : null;
        }).then(function (d) { report(d, {}); });
      }).catch(function (error) {
        return settle(draft, function (d) { d.state = "queued"; }).then(function (d) {
          waiting(d, error && error.login ? { login: true }
            : error && error.status ? { status: error.status } : { queued: true });
        });
      });
    }

    function sendWaiting() {
      if (!navigator.onLine) {
        return Promise.resolve();
      }
      return db.drafts.where("user").equals(user).toArray().then(function (drafts) {
        return drafts.filter(function (d) {
          return d.state === "queued" || d.state === "sending";
        }).reduce(function (chain, d) {
          return chain.then(function () { return send(d); });
        }, Promise.resolve());
      }).catch(function () {});
    }

    return { send: send, sendWaiting: sendWaiting };
  }

  root.ishcOffline = { openDb: openDb, sender: sender };
  if (typeof document === "undefined") {
    return;  // the service worker: the part above only
  }

  var script = document.currentScript;
  var user = (script && script.getAttribute("data-user")) || "";
  var META = "ishc-meta", USER_KEY = "/__offline/user", KEEP_HOURS = 6, SYNC_TAG = "ishc-send";
  var hasCaches = "caches" in window;
  // A page that came through the service worker was kept by it on the way (network first).
  var cameThroughWorker = !!(navigator.serviceWorker && navigator.serviceWorker.controller);

  // The record sheet's first stylesheet came inside the page (month/templatetags/
  // sheet_styles.py) because this phone did not hold the file. Once the page has loaded (not
  // to compete with its own files), fetch the file itself into the phone's cache (the service
  // worker also keeps it with the shell) and say which version it holds with a cookie: the
  // next sheet links the file instead of carrying it.
  function keepFirstStyles() {
    var inline = document.querySelector("style[data-first-styles]");
    if (!inline || !window.fetch) {
      return;
    }
    fetch(inline.getAttribute("data-first-styles"), { credentials: "same-origin" }).then(function (answer) {
      return answer.ok ? answer.text().then(function () {
        document.cookie = "ishc_sheet_css=" + inline.getAttribute("data-key") + "; path=/; max-age=2592000; samesite=lax" +
          (window.location.protocol === "https:" ? "; secure" : "");
      }) : null;
    }).catch(function () {});
  }
  // For a club leader, after the pages kept for no signal: a new cookie would make the
  // browser's copy of this page (kept by cookie) useless to them.
  var pagesKept = Promise.resolve();
  if (document.readyState === "complete") {
    keepFirstStyles();
  } else {
    window.addEventListener("load", function () {
      pagesKept.then(keepFirstStyles);
    });
  }

  function setUser(id) {
    if (!hasCaches) {
      return Promise.resolve();
    }
    return caches.open(META).then(function (cache) {
      return id ? cache.put(USER_KEY, new Response(id)) : cache.delete(USER_KEY);
    });
  }

  function dropPages(keep) {
    if (!hasCaches) {
      return Promise.resolve();
    }
    return caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) {
        return key.indexOf("ishc-pages-") === 0 && key !== "ishc-pages-" + keep;
      }).map(function (key) {
        return caches.delete(key);
      }));
    });
  }

  if (!user || typeof window.Dexie === "undefined") {
    // Not a club leader: nothing is kept for this user, nor shown from anyone else's.
    setUser("").then(function () { return dropPages(""); }).catch(function () {});
    return;
  }

  var logoutText = script.getAttribute("data-logout-text") || "";
  var db = openDb();

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  }
  setUser(user).then(function () { return dropPages(user); }).catch(function () {});

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function hhmm(ms) {
    var d = new Date(ms);
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }

  function fill(text, values) {
    return (text || "").replace(/%\((\w+)\)s/g, function (all, name) {
      return values[name] !== undefined ? values[name] : all;
    });
  }

  // --- Keeping the club's pages on the phone ----------------------------------------------

  function keepPages(force) {
    if (!hasCaches || !navigator.onLine) {
      return Promise.resolve();
    }
    var stamp = "ishc-kept-" + user;
    var last = parseInt(window.localStorage.getItem(stamp) || "0", 10);
    if (!force && Date.now() - last < KEEP_HOURS * 3600 * 1000) {
      return Promise.resolve();
    }
    return fetchState(user).then(function (state) {
      return caches.open("ishc-pages-" + user).then(function (cache) {
        return cache.keys().then(function (old) {
          var wanted = state.pages;
          var here = window.location.pathname + window.location.search;
          var drops = old.filter(function (request) {
            var url = new URL(request.url);
            return wanted.indexOf(url.pathname + url.search) === -1;
          }).map(function (request) { return cache.delete(request); });
          function get(path) {
            var how = { credentials: "same-origin" };
            if (path === here) {
              how.cache = "force-cache";  // just loaded: the browser's cache holds it
            }
            return fetch(path, how).then(function (answer) {
              if (answer.ok && !answer.redirected) {
                return cache.put(path, answer);
              }
            });
          }
          // The page in sight was just loaded: not downloaded a second time. Through the
          // service worker, it was kept on the way (network first); otherwise the browser's
          // cache gives it.
          var puts = wanted.map(function (path) {
            if (path !== here || !cameThroughWorker) {
              return get(path);
            }
            return cache.match(path).then(function (hit) {
              return hit ? null : get(path);
            });
          });
          return Promise.all(drops.concat(puts));
        });
      });
    }).then(function () {
      window.localStorage.setItem(stamp, String(Date.now()));
    }).catch(function () {});
  }

  // --- Logging out --------------------------------------------------------------------------

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !/\/logout\/?$/.test(form.getAttribute("action") || "")) {
      return;
    }
    if (form.getAttribute("data-cleared")) {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    db.drafts.where("user").equals(user).toArray().then(function (drafts) {
      var unsent = drafts.filter(function (d) { return d.state !== "sent"; }).length;
      if (unsent && !window.confirm(logoutText.replace("{count}", String(unsent)))) {
        return false;
      }
      return db.drafts.where("user").equals(user).delete().then(function () {
        return hasCaches ? caches.delete("ishc-pages-" + user) : null;
      }).then(function () {
        window.localStorage.removeItem("ishc-kept-" + user);
        return setUser("");
      }).then(function () { return true; });
    }).catch(function () { return true; }).then(function (go) {
      if (go) {
        form.setAttribute("data-cleared", "1");
        form.submit();
      }
    });
  }, true);

  // --- A form kept as a draft (the record sheet, the dues quick entry) ---------------------

  function choiceLine(label, text, button, pressed) {
    var line = document.createElement("div");
    line.className = "conflict-choice";
    var span = document.createElement("span");
    span.className = "small";
    var b = document.createElement("b");
    b.textContent = label + ": ";
    span.appendChild(b);
    span.appendChild(document.createTextNode(text));
    line.appendChild(span);
    var btn = null;
    if (button) {
      btn = document.createElement("button");
      btn.type = "button";
      btn.className = "btn btn-sm btn-outline-secondary";
      btn.textContent = button;
      btn.setAttribute("aria-pressed", pressed ? "true" : "false");
      line.appendChild(btn);
    }
    return { line: line, button: btn };
  }

  // ``spec``: id (the draft's key), fields (kept with the draft: meeting, kind, …), T (the
  // texts), and the form's own parts: conflict(answer, api) shows a conflict, refused(answer,
  // api) adds to the errors beside the rows, submit(event) runs before a submission is kept.
  function draftForm(form, spec) {
    var T = spec.T;
    var box = document.getElementById("offline-state");
    var again = document.getElementById("send-again");
    var conflictBox = document.getElementById("conflict");
    var errorsBox = document.getElementById("sheet-errors");
    var version = form.elements.version;
    var current = null;
    var ready = false;
    var api = { form: form, T: T };

    function skipped(el) {
      return !el.name || el.name === "csrfmiddlewaretoken" || el.name === "once_key";
    }

    function fields() {
      var all = [];
      Array.prototype.forEach.call(form.elements, function (el) {
        if (skipped(el) || el.type === "submit" || el.type === "button") {
          return;
        }
        if (el.type === "radio" || el.type === "checkbox") {
          if (el.checked) {
            all.push([el.name, el.value]);
          }
        } else {
          all.push([el.name, el.value]);
        }
      });
      return all;
    }

    function posted() {
      var data = [];
      new FormData(form).forEach(function (value, name) {
        if (name !== "csrfmiddlewaretoken" && name !== "once_key") {
          data.push([name, String(value)]);
        }
      });
      return data;
    }

    function restore(pairs) {
      var values = {};
      pairs.forEach(function (pair) { values[pair[0]] = pair[1]; });
      Array.prototype.forEach.call(form.elements, function (el) {
        if (skipped(el) || el.name === "version") {
          return;
        }
        if (el.type === "radio") {
          el.checked = (values[el.name] || "") === el.value;
        } else if (el.type === "checkbox") {
          el.checked = values[el.name] === el.value;
        } else if (el.type !== "submit" && el.type !== "button" && values[el.name] !== undefined) {
          el.value = values[el.name];
        }
      });
      form.dispatchEvent(new Event("sheet:restored"));
    }

    function keep(state) {
      var now = Date.now();
      var draft = current || Object.assign({
        id: spec.id, user: user, url: window.location.pathname + window.location.search,
        sync: form.getAttribute("data-sync-url"), version: version ? version.value : null,
        key: null, keyUsed: false,
      }, spec.fields);
      var values = fields();
      var changed = JSON.stringify(values) !== JSON.stringify(draft.fields || null);
      if (changed && (draft.keyUsed || draft.state === "sent")) {
        // A changed form is a new submission with a new key; the same form sent again
        // ("Send again") keeps its key, so the server answers a repeat like the first time.
        draft.key = null;
        draft.keyUsed = false;
      }
      if (changed && draft.state === "sent" && version) {
        draft.version = version.value;
      }
      draft.fields = values;
      draft.post = posted();
      if (changed || !draft.changedAt) {
        draft.changedAt = now;
      }
      draft.state = state;
      if (state === "queued" && !draft.key) {
        draft.key = uuid();
      }
      current = draft;
      return db.drafts.put(draft).then(function () { return draft; });
    }

    function clearErrors() {
      form.querySelectorAll("[data-offline-error]").forEach(function (node) { node.remove(); });
      form.querySelectorAll(".is-invalid").forEach(function (node) { node.classList.remove("is-invalid"); });
      errorsBox.innerHTML = "";
    }

    function alertBox(lines) {
      var div = document.createElement("div");
      div.className = "alert alert-danger";
      div.setAttribute("role", "alert");
      lines.forEach(function (line) {
        var p = document.createElement("div");
        p.textContent = line;
        div.appendChild(p);
      });
      errorsBox.appendChild(div);
    }

    // The row of a field: a member's row, or the row of a field of the form's own.
    function rowOf(name) {
      var input = form.elements[name];
      var node = input && (input.length && !input.tagName ? input[0] : input);
      var row = node && node.closest ? node.closest("[data-member-row], [data-offline-row]") : null;
      return row ? { node: node, row: row } : null;
    }

    function showErrors(answer) {
      clearErrors();
      var general = (answer.general || []).slice();
      Object.keys(answer.errors || {}).forEach(function (name) {
        var found = rowOf(name);
        if (!found) {
          general = general.concat(answer.errors[name]);
          return;
        }
        if (found.node.tagName === "INPUT" && found.node.type !== "radio") {
          found.node.classList.add("is-invalid");
        }
        answer.errors[name].forEach(function (message) {
          var div = document.createElement("div");
          div.className = "sheet-error small text-danger";
          div.setAttribute("data-offline-error", "");
          div.textContent = message;
          found.row.appendChild(div);
        });
      });
      alertBox([T.refused].concat(general));
      if (spec.refused) {
        spec.refused(answer, api);
      }
    }

    function show(draft, how) {
      current = draft;
      var text = box.querySelector("[data-state-text]");
      var detail = box.querySelector("[data-state-detail]");
      box.hidden = false;
      box.classList.remove("alert-secondary", "alert-info", "alert-success", "alert-danger", "alert-warning");
      again.hidden = true;
      detail.textContent = "";
      if (conflictBox && !how.keepConflict) {
        conflictBox.hidden = true;
      }
      if (draft.state === "sending") {
        box.classList.add("alert-info");
        text.textContent = T.sending;
        return;
      }
      if (draft.state === "sent") {
        box.classList.add("alert-success");
        text.textContent = fill(T.sent, { time: hhmm(draft.sentAt) });
        clearErrors();
        if (how.url) {
          window.location.assign(how.url);
        }
        return;
      }
      if (draft.state === "error") {
        box.classList.add("alert-danger");
        text.textContent = T.error;
        again.hidden = false;
        if (draft.answer) {
          showErrors(draft.answer);
        }
        if (draft.conflict && spec.conflict) {
          again.hidden = true;  // sending again without choosing would meet the same conflict
          if (!how.keepConflict) {
            spec.conflict(draft.conflict, api);
          }
        }
        return;
      }
      box.classList.add("alert-warning");
      text.textContent = T.draft;
      if (how.login) {
        detail.textContent = T.login;
      } else if (how.status) {
        detail.textContent = fill(T.failed, { status: how.status });
      } else if (how.restored) {
        detail.textContent = fill(T.restored, { time: hhmm(draft.changedAt) });
      } else if (draft.state === "queued" && (how.queued || !navigator.onLine)) {
        detail.textContent = T.queued;
      }
      again.hidden = draft.state !== "queued";
    }

    api.keep = keep;
    api.show = show;
    api.current = function () { return current; };
    api.rebase = function (to) {
      // A choice was made: the form is now based on the server's version.
      current.version = to;
      version.value = to;
    };

    db.drafts.get(spec.id).then(function (draft) {
      ready = true;
      if (!draft) {
        return;
      }
      current = draft;
      if (draft.state === "sent") {
        show(draft, {});
        return;
      }
      restore(draft.fields || []);
      if (version) {
        version.value = draft.version;
      }
      show(draft, { restored: true });
    }).catch(function () {
      ready = false;
    });

    var changed = function (event) {
      if (!ready || !event.target.name || event.target.id === "sheet-search") {
        return;
      }
      // A form already saved with no signal stays on its way; any other change is a draft
      // until it is saved (a refused form being corrected is not sent half-done).
      var queued = current && current.state === "queued";
      keep(queued ? "queued" : "draft").then(function (draft) {
        show(draft, { keepConflict: true });
      });
    };
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);

    form.addEventListener("submit", function (event) {
      if (!ready) {
        return;  // no IndexedDB here: the plain form
      }
      event.preventDefault();
      event.stopPropagation();
      if (spec.submit) {
        spec.submit(event);
      }
      keep("queued").then(function (draft) {
        clearErrors();
        return sending.send(draft);
      });
    });

    again.addEventListener("click", function () {
      if (current) {
        keep("queued").then(sending.send);
      }
    });

    return { id: spec.id, show: show };
  }

  // --- The record sheet ---------------------------------------------------------------------

  function recordSheet(form) {
    var T = JSON.parse(document.getElementById("sheet-texts").textContent);
    var meeting = form.getAttribute("data-meeting");

    function describe(values) {
      var parts = [values.att ? T[values.att] : T.not_marked];
      if (values.sys || values.dia) {
        parts.push((values.sys || "?") + "/" + (values.dia || "?"));
      }
      if (values.wt) {
        parts.push(values.wt + " kg");
      }
      return parts.join(" · ");
    }

    function mine(memberId) {
      var values = {};
      ["att", "sys", "dia", "wt"].forEach(function (p) {
        var el = form.elements[p + "_" + memberId];
        if (!el) {
          values[p] = "";
        } else if (p === "att") {
          var checked = form.querySelector("input[name='att_" + memberId + "']:checked");
          values[p] = checked ? checked.value : "";
        } else {
          values[p] = el.value.trim();
        }
      });
      return values;
    }

    function same(a, b) {
      var number = function (x) { return x === "" ? "" : String(parseFloat(String(x).replace(",", "."))); };
      return a.att === b.att && number(a.sys) === number(b.sys) && number(a.dia) === number(b.dia) && number(a.wt) === number(b.wt);
    }

    function apply(memberId, values) {
      var radio = form.querySelector("input[name='att_" + memberId + "'][value='" + (values.att || "") + "']");
      if (radio) {
        radio.checked = true;
      }
      ["sys", "dia", "wt"].forEach(function (p) {
        var el = form.elements[p + "_" + memberId];
        if (el) {
          el.value = values[p] || "";
        }
      });
      var row = document.getElementById("member-" + memberId);
      if (row) {
        row.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }

    function showConflict(answer, api) {
      var conflictBox = document.getElementById("conflict");
      conflictBox.innerHTML = "";
      var body = document.createElement("div");
      body.className = "card-body";
      var h = document.createElement("h2");
      h.className = "h6 text-danger";
      h.textContent = T.conflict;
      var reason = document.createElement("p");
      reason.className = "mb-2";
      reason.setAttribute("data-conflict-reason", "");
      reason.textContent = answer.reason;
      var note = document.createElement("p");
      note.className = "small mb-2";
      note.textContent = T.choose;
      body.appendChild(h);
      body.appendChild(reason);
      body.appendChild(note);
      var choices = [];
      var chosen = function () {
        api.rebase(answer.version);
        note.textContent = T.chosen;
        api.keep("draft").then(function (d) { api.show(d, { keepConflict: true }); });
      };
      var tools = document.createElement("div");
      tools.className = "d-flex flex-wrap gap-2 mb-2";
      body.appendChild(tools);
      Object.keys(answer.server).forEach(function (memberId) {
        var theirs = answer.server[memberId];
        var ours = mine(memberId);
        if (same(ours, theirs)) {
          return;
        }
        var row = document.getElementById("member-" + memberId);
        var nameNode = row ? row.querySelector(".sheet-who .fw-semibold") : null;
        var item = document.createElement("div");
        item.className = "conflict-row";
        item.setAttribute("data-conflict-member", memberId);
        var name = document.createElement("div");
        name.className = "fw-semibold";
        name.textContent = nameNode ? nameNode.textContent : memberId;
        item.appendChild(name);
        var a = choiceLine(T.mine, describe(ours), T.keep_mine, false);
        var b = choiceLine(T.theirs, describe(theirs), T.keep_theirs, false);
        a.line.setAttribute("data-version", "mine");
        b.line.setAttribute("data-version", "theirs");
        var pick = function (which) {
          apply(memberId, which === "mine" ? ours : theirs);
          a.button.setAttribute("aria-pressed", which === "mine" ? "true" : "false");
          b.button.setAttribute("aria-pressed", which === "mine" ? "false" : "true");
          item.classList.add("is-chosen");
          chosen();
        };
        a.button.addEventListener("click", function () { pick("mine"); });
        b.button.addEventListener("click", function () { pick("theirs"); });
        item.appendChild(a.line);
        item.appendChild(b.line);
        body.appendChild(item);
        choices.push(pick);
      });
      var meetingTheirs = answer.meeting || {};
      var meetingDiffers = ["guests", "agenda", "minutes", "decisions"].some(function (name) {
        var el = form.elements[name];
        return el && (el.value || "").trim() !== (meetingTheirs[name] || "").trim() && !(name === "guests" && (el.value || "0") === (meetingTheirs[name] || "0"));
      });
      if (meetingDiffers) {
        var ourMeeting = {};
        ["guests", "agenda", "minutes", "decisions"].forEach(function (name) { ourMeeting[name] = form.elements[name].value; });
        var item = document.createElement("div");
        item.className = "conflict-row";
        item.setAttribute("data-conflict-member", "meeting");
        var title = document.createElement("div");
        title.className = "fw-semibold";
        title.textContent = T.meeting_fields;
        item.appendChild(title);
        var summary = function (m) { return [m.guests, m.minutes].filter(Boolean).join(" · ").slice(0, 120); };
        var a = choiceLine(T.mine, summary(ourMeeting), T.keep_mine, false);
        var b = choiceLine(T.theirs, summary(meetingTheirs), T.keep_theirs, false);
        a.line.setAttribute("data-version", "mine");
        b.line.setAttribute("data-version", "theirs");
        var pickMeeting = function (which) {
          var values = which === "mine" ? ourMeeting : meetingTheirs;
          ["guests", "agenda", "minutes", "decisions"].forEach(function (name) { form.elements[name].value = values[name] || ""; });
          a.button.setAttribute("aria-pressed", which === "mine" ? "true" : "false");
          b.button.setAttribute("aria-pressed", which === "mine" ? "false" : "true");
          item.classList.add("is-chosen");
          chosen();
        };
        a.button.addEventListener("click", function () { pickMeeting("mine"); });
        b.button.addEventListener("click", function () { pickMeeting("theirs"); });
        item.appendChild(a.line);
        item.appendChild(b.line);
        body.appendChild(item);
        choices.push(pickMeeting);
      }
      [[T.all_mine, "mine", "all-mine"], [T.all_theirs, "theirs", "all-theirs"]].forEach(function (spec) {
        var btn = document.createElement("button");
        btn.type = "button";
        btn.id = "conflict-" + spec[2];
        btn.className = "btn btn-sm btn-outline-primary";
        btn.textContent = spec[0];
        btn.addEventListener("click", function () {
          choices.forEach(function (pick) { pick(spec[1]); });
          if (!choices.length) {
            chosen();
          }
        });
        tools.appendChild(btn);
      });
      conflictBox.appendChild(body);
      conflictBox.hidden = false;
    }


    return draftForm(form, {
      id: user + ":" + meeting,
      fields: { kind: "sheet", meeting: meeting },
      T: T,
      conflict: showConflict,
    });
  }

  // --- The dues quick entry -----------------------------------------------------------------

  function duesEntry(form) {
    var T = JSON.parse(document.getElementById("offline-texts").textContent);
    var usual = form.getAttribute("data-usual") || "";

    // Beside a member whose dues were recorded meanwhile: both versions, and the button that
    // takes the server's (the box is emptied, so that nothing is recorded twice).
    function refused(answer) {
      Object.keys(answer.server || {}).forEach(function (name) {
        var input = form.elements[name];
        var row = input && input.closest ? input.closest("[data-member-row]") : null;
        if (!row) {
          return;
        }
        var theirs = answer.server[name];
        var item = document.createElement("div");
        item.className = "conflict-row col-12";
        item.setAttribute("data-offline-error", "");
        item.setAttribute("data-conflict-member", name.slice(1));
        var ours = choiceLine(T.mine, input.value.trim() ? input.value.trim() + " ₫" : "–", "", false);
        var server = choiceLine(T.theirs, [theirs.amount, theirs.day, theirs.who].filter(Boolean).join(" · "), T.keep_theirs, false);
        ours.line.setAttribute("data-version", "mine");
        server.line.setAttribute("data-version", "theirs");
        server.button.addEventListener("click", function () {
          input.value = "";
          server.button.setAttribute("aria-pressed", "true");
          item.classList.add("is-chosen");
          input.dispatchEvent(new Event("input", { bubbles: true }));
        });
        item.appendChild(ours.line);
        item.appendChild(server.line);
        row.appendChild(item);
      });
    }

    // "Everyone has paid": the empty boxes get the usual amount, so the draft says what is sent.
    function submit(event) {
      if (!usual || !event.submitter || event.submitter.name !== "all_paid") {
        return;
      }
      var amount = usual.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
      form.querySelectorAll("[data-member-row] input[name^='m']").forEach(function (input) {
        if (!input.value.trim()) {
          input.value = amount;
        }
      });
    }

    return draftForm(form, {
      id: user + ":dues:" + form.getAttribute("data-club") + ":" + form.getAttribute("data-month"),
      fields: { kind: "dues", club: form.getAttribute("data-club"), month: form.getAttribute("data-month") },
      T: T,
      refused: refused,
      submit: submit,
    });
  }

  // --- This page ----------------------------------------------------------------------------

  function askSync() {
    // Background Sync, where the browser has it: the service worker sends the waiting drafts
    // when the signal comes back, also when no page of the app is open by then.
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.ready.then(function (registration) {
        return registration.sync ? registration.sync.register(SYNC_TAG) : null;
      }).catch(function () {});
    }
  }

  var page = null;  // the form kept as a draft on this page, if any
  function report(draft, how) {
    if (page && page.id === draft.id) {
      page.show(draft, how);
    }
  }
  var sending = root.ishcOffline.sender(db, user, {
    report: report,
    waiting: askSync,
    // The kept copy of the page is refreshed at the next page (fetching it now would take the
    // "saved" message meant for the page the leader goes to).
    sent: function () { window.localStorage.removeItem("ishc-kept-" + user); },
  });

  var kept = document.querySelector("form[data-offline]");
  if (kept && kept.getAttribute("data-user") === user) {
    page = kept.getAttribute("data-offline") === "dues" ? duesEntry(kept) : recordSheet(kept);
  }

  if ("serviceWorker" in navigator) {
    // A draft the service worker sent (Background Sync) while this page was out of sight.
    navigator.serviceWorker.addEventListener("message", function (event) {
      var data = event.data || {};
      if (data.type === "ishc-draft" && page && page.id === data.id) {
        db.drafts.get(data.id).then(function (draft) {
          if (draft) {
            page.show(draft, {});
          }
        }).catch(function () {});
      }
    });
  }

  window.addEventListener("online", function () {
    sending.sendWaiting().then(function () { return keepPages(false); });
  });
  pagesKept = sending.sendWaiting().then(function () { return keepPages(false); });
})(self);
