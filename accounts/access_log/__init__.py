"""The access log of sensitive data: who saw which named people's sensitive or high-risk
fields, when, on which page or in which file (docs/privacy.md, "Access log").

- Pages note what they show with ``accounts.privacy.note_access`` (no query);
- ``middleware.AccessLogMiddleware`` writes a request's notes in one INSERT once the response
  is ready (``services.access_log_write``);
- ``services.access_log_prune`` deletes rows older than ``ISHC_ACCESS_LOG_DAYS`` (a nightly
  task, ``accounts.tasks.prune_access_log``, and ``manage.py prune_access_log``);
- ``views.access_log`` is the page provincial staff and admins read it on
  (``/accounts/access-log/``), through ``selectors``.
"""
