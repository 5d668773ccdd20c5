/* The service worker of the leaders' app (month/offline.py serves it at /sw.js, scope "/").
   - The app shell (CSS, JS, icons) is kept in "ishc-shell-<version>" and served from there.
   - A kept page (a record sheet, the dues grid or quick entry) opened with a signal is kept in
     the signed-in leader's own cache ("ishc-pages-<user id>", from the page's X-ISHC-User
     header); with no signal it is served from that cache, and only for the leader the pages
     say is signed in ("ishc-meta").
   - Background Sync ("ishc-send", asked by a page when a draft waits for a signal): when the
     signal is back and no page of the app is in sight, the drafts are sent from here, with
     the page's own code (static/js/offline.js: a fresh CSRF token from /offline/state.json,
     the draft's write-once key); a page in sight sends them itself. */
"use strict";
var VERSION = "{{ version }}";
var SHELL_CACHE = "ishc-shell-" + VERSION;
var SHELL = {{ shell|safe }};
var KEPT = new RegExp("{{ kept_pattern|escapejs }}");
var META = "ishc-meta";
var USER_KEY = "/__offline/user";
var SYNC_TAG = "ishc-send";

try {
  importScripts.apply(self, {{ sender|safe }});
} catch (error) {
  // Without them the pages still send their drafts ("online", the next page opened).
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL_CACHE).then(function (cache) {
      return cache.addAll(SHELL);
    }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) {
        return key.indexOf("ishc-shell-") === 0 && key !== SHELL_CACHE;
      }).map(function (key) {
        return caches.delete(key);
      }));
    }).then(function () {
      return self.clients.claim();
    })
  );
});

function signedIn() {
  return caches.open(META).then(function (cache) {
    return cache.match(USER_KEY);
  }).then(function (answer) {
    return answer ? answer.text() : "";
  });
}

function kept(path) {
  return signedIn().then(function (user) {
    if (!user) {
      return undefined;
    }
    return caches.open("ishc-pages-" + user).then(function (cache) {
      return cache.match(path);
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") {
    return;
  }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (SHELL.indexOf(url.pathname) !== -1) {
    event.respondWith(
      caches.match(url.pathname, { cacheName: SHELL_CACHE }).then(function (hit) {
        return hit || fetch(request);
      })
    );
    return;
  }
  if (request.mode !== "navigate" || !(KEPT.test(url.pathname) || url.pathname === "/")) {
    return;
  }
  // A kept page or the leader's home: the network first (always the newest), the kept copy
  // when there is no signal. Kept by path and query (the dues of one month).
  var path = url.pathname + url.search;
  event.respondWith(
    fetch(request).then(function (answer) {
      var user = answer.headers.get("X-ISHC-User");
      if (answer.ok && !answer.redirected && user && KEPT.test(url.pathname)) {
        var copy = answer.clone();
        event.waitUntil(signedIn().then(function (current) {
          if (current === user) {
            return caches.open("ishc-pages-" + user).then(function (cache) {
              return cache.put(path, copy);
            });
          }
        }));
      }
      return answer;
    }).catch(function (error) {
      return kept(path).then(function (hit) {
        if (hit) {
          return hit;
        }
        throw error;
      });
    })
  );
});

self.addEventListener("sync", function (event) {
  if (event.tag !== SYNC_TAG || !self.ishcOffline || !self.Dexie) {
    return;
  }
  event.waitUntil(Promise.all([
    signedIn(),
    self.clients.matchAll({ type: "window" }),
  ]).then(function (found) {
    var user = found[0], open = found[1];
    // Signed out (the drafts went with the sign-out), or a page in sight sends them itself.
    if (!user || open.some(function (client) { return client.visibilityState === "visible"; })) {
      return undefined;
    }
    var tell = function (draft) {
      open.forEach(function (client) { client.postMessage({ type: "ishc-draft", id: draft.id }); });
    };
    var db = self.ishcOffline.openDb();
    return self.ishcOffline.sender(db, user, { report: tell }).sendWaiting();
  }));
});
