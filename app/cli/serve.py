"""``panoh serve``: the production WSGI server (cheroot), optionally over HTTPS, in one or more
worker processes.

Browsers open cameras only on secure pages, so a distribution point on the camp LAN needs HTTPS;
``--tls`` uses a certificate you give, or creates a self-signed one in the instance folder.

Python runs one thread at a time per process, so on a laptop with several cores ``--workers``
(default: one per core, at most 4, on Linux) starts that many processes sharing the port
(SO_REUSEPORT); SQLite writers of all of them queue on one lock file (see app.db).
"""
from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

MAX_DEFAULT_WORKERS = 4


def default_workers() -> int:
    if not sys.platform.startswith('linux'):
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), MAX_DEFAULT_WORKERS))


@click.command('serve')
@click.option('--host', default='127.0.0.1', show_default=True)
@click.option('--port', default=5000, show_default=True, type=int)
@click.option('--threads', default=8, show_default=True, type=int, help='Threads per worker process.')
@click.option('--workers', type=click.IntRange(1, 32), help='Processes (default: one per core, at most 4).')
@click.option('--tls', is_flag=True, help='Serve HTTPS.')
@click.option('--cert', type=click.Path(dir_okay=False), help='PEM certificate (default: self-signed).')
@click.option('--key', type=click.Path(dir_okay=False), help='PEM private key.')
@with_appcontext
def serve(host, port, threads, workers, tls, cert, key):
    """Serve Panoh with a multi-threaded production server."""
    app = current_app._get_current_object()
    workers = workers or default_workers()
    if tls and not cert:
        from app.tls import ensure_self_signed

        cert, key = ensure_self_signed(Path(app.instance_path), host)
    scheme = 'https' if tls else 'http'
    click.echo(f'Panoh is serving on {scheme}://{host}:{port}/ with {workers} worker(s)  (Ctrl+C stops it)')
    # What starting made (modules, routes, locale data: over 100,000 objects) lives as long as the
    # process. Freezing it keeps each full garbage collection from walking all of it again, which
    # otherwise stalls a request for 40-70 ms now and then (and keeps those pages shared after fork).
    gc.collect()
    gc.freeze()
    if workers == 1:
        _run(app, host, port, threads, cert if tls else None, key, reuse_port=False)
    else:
        _supervise(app, host, port, threads, cert if tls else None, key, workers)


def _run(app, host, port, threads, cert, key, *, reuse_port: bool) -> None:
    from cheroot import wsgi

    server = wsgi.Server((host, port), app, numthreads=threads, server_name='panoh', reuse_port=reuse_port)
    if cert:
        from cheroot.ssl.builtin import BuiltinSSLAdapter

        server.ssl_adapter = BuiltinSSLAdapter(cert, key)
    try:
        server.start()
    except KeyboardInterrupt:
        server.stop()


def _supervise(app, host, port, threads, cert, key, workers: int) -> None:
    """Fork the workers, then wait; a stop signal is passed on to them."""
    engine = app.extensions['panoh.db'].engine
    children = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:  # a worker: its own database connections, its own server on the shared port
            engine.dispose(close=False)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
            _run(app, host, port, threads, cert, key, reuse_port=True)
            os._exit(0)
        children.append(pid)

    def stop(*_args) -> None:
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for child in children:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(child, 0)
