"""gunicorn settings for `make run` and production (`gunicorn -c gunicorn.conf.py wsgi:app`).

Threaded workers (a slow client holds a thread, not a whole worker); request size limits so that an
oversized request line or header is refused by gunicorn before the app sees it (the reverse proxy's
own limits and error pages come first, see the README); workers restarted after a bounded number of
requests; JSON access log lines with the request id the app sends back as X-Request-ID.
Every value can be overridden with GUNICORN_* environment variables or on the command line.
"""
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # a worker silent this long is replaced
graceful_timeout = 30  # on restart, requests in progress get this long to finish
keepalive = 5

# Refuse oversized requests before they reach the app (400 from gunicorn, or the proxy's page).
limit_request_line = 4094  # bytes in the request line (method, path and query)
limit_request_fields = 100  # header count
limit_request_field_size = 8190  # bytes per header

max_requests = 2000  # recycle workers now and then (memory held by the matcher's caches)
max_requests_jitter = 200

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
access_log_format = ('{"time": "%(t)s", "remote": "%(h)s", "request": "%(r)s", "status": %(s)s, "bytes": "%(B)s", '
                     '"duration_us": %(D)s, "request_id": "%({x-request-id}o)s"}')
