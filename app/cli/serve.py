"""``panoh serve``: the production server, optionally over HTTPS.

On Linux and macOS it is gunicorn, embedded: a master process that keeps ``--workers`` worker
processes of ``--threads`` threads each (gthread) running on one listening socket. The master
replaces a worker that dies and logs it, stops with a failure status when workers cannot boot
(so that a restart-on-failure service, docs/panoh.service, restarts it), and its workers stop
when the master is gone. A port already in use is an error, never a second server beside the
first. On Windows, where gunicorn does not run, cheroot serves in one process.

Browsers open cameras only on secure pages, so a distribution point on the camp LAN needs HTTPS;
``--tls`` uses a certificate you give, or creates a self-signed one in the instance folder.

Python runs one thread at a time per process, so ``--workers`` defaults to one per core (at most
4). On SQLite, the writers of all workers queue on one lock file next to the database (see
app.db): a deployment with many desks or camps uses PostgreSQL.
"""

from __future__ import annotations

import gc
import os
import ssl
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

MAX_DEFAULT_WORKERS = 4
#: seconds a worker may stay silent before the master replaces it (gthread workers report from
#: their main loop, not from the threads serving requests, so a long export does not count)
WORKER_TIMEOUT_S = 60
#: seconds the workers get to finish the requests under way when asked to stop
GRACEFUL_TIMEOUT_S = 30


def default_workers() -> int:
    if not hasattr(os, "sched_getaffinity"):
        return max(1, min(os.cpu_count() or 1, MAX_DEFAULT_WORKERS))
    return max(1, min(len(os.sched_getaffinity(0)), MAX_DEFAULT_WORKERS))


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64), help="Threads per worker process.")
@click.option("--workers", type=click.IntRange(1, 32), help="Processes (default: one per core, at most 4).")
@click.option("--tls", is_flag=True, help="Serve HTTPS.")
@click.option("--cert", type=click.Path(dir_okay=False), help="PEM certificate (default: self-signed).")
@click.option("--key", type=click.Path(dir_okay=False), help="PEM private key.")
@with_appcontext
def serve(host, port, threads, workers, tls, cert, key):
    """Serve Panoh with a multi-process, multi-threaded production server."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # current_app is a LocalProxy
    workers = workers or default_workers()
    context = None
    if tls:
        if not cert:
            from app.tls import ensure_self_signed

            cert, key = ensure_self_signed(Path(app.instance_path), host)
        context = tls_context(cert, key)  # a missing or wrong certificate stops here, before serving
    scheme = "https" if tls else "http"
    gunicorn = os.name == "posix"
    if not gunicorn:
        workers = 1
    click.echo(
        f"Panoh is serving on {scheme}://{host}:{port}/ with {workers} worker(s) of {threads} threads (Ctrl+C stops it)"
    )
    # What starting made (modules, routes, locale data: over 100,000 objects) lives as long as the
    # process. Freezing it keeps each full garbage collection from walking all of it again, which
    # otherwise stalls a request for 40-70 ms now and then (and keeps those pages shared after fork).
    gc.collect()
    gc.freeze()
    if gunicorn:
        options = {"bind": f"{host}:{port}", "workers": workers, "threads": threads}
        if tls:
            options.update(certfile=cert, keyfile=key, ssl_context=lambda _config, _default: context)
        gunicorn_server(app, options).run()  # exits with gunicorn's status when it stops
    else:
        _run_cheroot(app, host, port, threads, cert if tls else None, key)


def tls_context(cert: str, key: str | None) -> ssl.SSLContext:
    """The server's TLS settings, made once (not for each connection) and checked before serving."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(cert, key)
    except (OSError, ssl.SSLError) as exc:
        raise click.ClickException(f"Cannot use the TLS certificate {cert} with its key {key}: {exc}") from exc
    return context


def gunicorn_server(app: Flask, options: dict):
    """gunicorn with Panoh's settings, serving the application object ``panoh`` made."""
    from gunicorn.app.base import BaseApplication

    settings = {
        "worker_class": "gthread",
        "timeout": WORKER_TIMEOUT_S,
        "graceful_timeout": GRACEFUL_TIMEOUT_S,
        # the application is made once, in the master; workers share its memory after the fork
        "preload_app": True,
        # no access log: addresses name households; errors and worker events go to stderr
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "panoh",
        "post_fork": _post_fork,
        # gunicorn's control socket (a file in the home folder) is not used
        "control_socket_disable": True,
        **options,
    }

    class PanohServer(BaseApplication):
        def load_config(self) -> None:
            for name, value in settings.items():
                if name in self.cfg.settings:  # older gunicorn versions lack some settings
                    self.cfg.set(name, value)

        def load(self) -> Flask:
            return app

    return PanohServer(prog="panoh serve")


def _post_fork(_arbiter, worker) -> None:
    """A new worker opens database connections of its own, never those made before the fork."""
    worker.app.wsgi().extensions["panoh.db"].engine.dispose(close=False)


def _run_cheroot(app: Flask, host: str, port: int, threads: int, cert: str | None, key: str | None) -> None:
    """One process of ``threads`` threads, for laptops where gunicorn does not run (Windows)."""
    from cheroot import wsgi

    server = wsgi.Server((host, port), app, numthreads=threads, server_name="panoh")
    if cert:
        from cheroot.ssl.builtin import BuiltinSSLAdapter

        server.ssl_adapter = BuiltinSSLAdapter(cert, key)
    try:
        server.start()
    except KeyboardInterrupt:
        server.stop()
