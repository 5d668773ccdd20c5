/* The service worker of the leaders' app (month/offline.py serves it at /sw.js, scope "/").
   - The app shell (CSS, JS, icons) is kept in "ishc-shell-<version>" and served from there.
   - A record sheet opened with a signal is kept in the signed-in leader's own cache
     ("ishc-pages-<user id>", from the page's X-ISHC-User header); with no signal it is served
     from that cache, and only for the leader the pages say is signed in ("ishc-meta").
   Nothing is written here: saving and sending are the page's (static/js/offline.js). */
"use strict";
var VERSION = "{{ version }}";
var SHELL_CACHE = "ishc-shell-" + VERSION;
var SHELL = {{ shell|safe }};
var SHEET = new RegExp("{{ sheet_pattern|escapejs }}");
var META = "ishc-meta";
var USER_KEY = "/__offline/user";

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
  if (request.mode !== "navigate" || !(SHEET.test(url.pathname) || url.pathname === "/")) {
    return;
  }
  // A sheet or the leader's home: the network first (always the newest), the kept copy when
  // there is no signal.
  event.respondWith(
    fetch(request).then(function (answer) {
      var user = answer.headers.get("X-ISHC-User");
      if (answer.ok && !answer.redirected && user && SHEET.test(url.pathname)) {
        var copy = answer.clone();
        event.waitUntil(signedIn().then(function (current) {
          if (current === user) {
            return caches.open("ishc-pages-" + user).then(function (cache) {
              return cache.put(url.pathname, copy);
            });
          }
        }));
      }
      return answer;
    }).catch(function (error) {
      return kept(url.pathname).then(function (hit) {
        if (hit) {
          return hit;
        }
        throw error;
      });
    })
  );
});
