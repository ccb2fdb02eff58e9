"""gunicorn settings used by `make run`; each can be overridden from the environment (see README)."""

import gc
import multiprocessing
import os
import sys

wsgi_app = "webapp:create_app()"
bind = os.environ.get("BIND", "127.0.0.1:5000")
# Grading is CPU work, so one process per core does the work; threads cover the time spent waiting on the database.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Each worker listens on its own socket and the kernel spreads new connections over them. On one shared socket the
# same worker won nearly every accept, and a kept-alive connection stays with its worker: under load one worker did
# 97% of the work on one core while the other idled.
reuse_port = True
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
GIL_SWITCH_SECONDS = 0.001


def post_worker_init(worker):
    """Put the loaded app's objects (some 129,000: grading tables, templates, SQLAlchemy's mappers) out of the
    garbage collector's reach: each full collection walked them all while every thread of the worker waited,
    about 200 ms at a time under load, a few times in each 20 s benchmark run."""
    gc.freeze()
    # A thread back from the database waits for the GIL until the running one hands it over, 5 ms at most by
    # default, after each query; a request inside SQLite's write lock makes several, and every other writer waits.
    sys.setswitchinterval(GIL_SWITCH_SECONDS)
