"""gunicorn settings for `make run` and production (`gunicorn -c gunicorn.conf.py wsgi:app`).

Threaded workers (a slow client holds a thread, not a whole worker); request size limits so that an
oversized request line or header is refused by gunicorn before the app sees it (the reverse proxy's
own limits and error pages come first, see the README); workers restarted after a bounded number of
requests; JSON access log lines with the request id the app sends back as X-Request-ID.
Every value can be overridden with GUNICORN_* environment variables or on the command line.

The app is loaded once in the master (`preload_app`) and warmed up there before the workers fork, so
that they share the matching analyser (Sudachi dictionary, JMdict lexicon) instead of loading one each,
and no user waits for it.

It also tells the app where it really listens: without BASE_URL (development), e-mailed links and
calendar feeds use the address gunicorn bound (`make run PORT=8102` gives http://127.0.0.1:8102), not
a fixed default. The `when_ready` hook runs in the master after binding and before the workers start,
so every worker inherits the variable.
"""
import os

from app.core.config import LISTEN_URL_VAR, base_url, listen_url

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
# Two threads a worker: one slow request (an upload, an export) does not hold up the worker, and the
# threads seldom wait for each other's CPU. Most of a request is Python holding the interpreter lock:
# with four threads, 4 workers on 2 cores served the load test's mix at 32 ms of worker CPU a
# request and a p95 of 1.8 s; with two, 27 ms and 0.9 s (bench/app_bench.py, 100,000 needs).
# One thread is not better overall: back to back at 100,000 needs, the page p95 fell on SQLite (from
# 498-693 ms to 371-487) but rose on PostgreSQL (from 339-384 to 448-459), where a worker's second
# thread runs a request while the first waits for the database; the sync worker class did no better (383-579).
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
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

preload_app = True


def on_starting(server):
    """In the master, after the preload and before any worker forks."""
    from app.startup import before_fork
    from wsgi import app

    before_fork(app)


def pre_fork(server, worker):
    """In the master, before each worker forks (also the replacements of recycled workers)."""
    from app.startup import before_each_fork
    from wsgi import app

    before_each_fork(app)


def when_ready(server):
    """Publish the bound address to the workers (TCP only) unless BASE_URL is set.

    The app was preloaded before binding, so its BASE_URL is recomputed here too; workers fork after this."""
    if server.LISTENERS and not os.environ.get("BASE_URL"):
        address = server.LISTENERS[0].sock.getsockname()
        if isinstance(address, tuple):  # TCP, not a unix socket
            os.environ[LISTEN_URL_VAR] = listen_url(address)
            from wsgi import app

            app.config["BASE_URL"] = base_url(app.config["ENV_NAME"], os.environ, app.config["BASE_URL"])
