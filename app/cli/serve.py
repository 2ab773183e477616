"""``panoh serve``: the production WSGI server (cheroot), optionally over HTTPS.

Browsers open cameras only on secure pages, so a distribution point on the camp LAN needs HTTPS;
``--tls`` uses a certificate you give, or creates a self-signed one in the instance folder.
"""
from __future__ import annotations

import gc
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command('serve')
@click.option('--host', default='127.0.0.1', show_default=True)
@click.option('--port', default=5000, show_default=True, type=int)
@click.option('--threads', default=8, show_default=True, type=int)
@click.option('--tls', is_flag=True, help='Serve HTTPS.')
@click.option('--cert', type=click.Path(dir_okay=False), help='PEM certificate (default: self-signed).')
@click.option('--key', type=click.Path(dir_okay=False), help='PEM private key.')
@with_appcontext
def serve(host, port, threads, tls, cert, key):
    """Serve Panoh with a multi-threaded production server."""
    from cheroot import wsgi

    app = current_app._get_current_object()
    server = wsgi.Server((host, port), app, numthreads=threads, server_name='panoh')
    scheme = 'http'
    if tls:
        from cheroot.ssl.builtin import BuiltinSSLAdapter

        from app.tls import ensure_self_signed

        if not cert:
            cert, key = ensure_self_signed(Path(app.instance_path), host)
        server.ssl_adapter = BuiltinSSLAdapter(cert, key)
        scheme = 'https'
    click.echo(f'Panoh is serving on {scheme}://{host}:{port}/  (Ctrl+C stops it)')
    # What starting made (modules, routes, locale data: over 100,000 objects) lives as long as the
    # process. Freezing it keeps each full garbage collection from walking all of it again, which
    # otherwise stalls a request for 40-70 ms now and then.
    gc.collect()
    gc.freeze()
    try:
        server.start()
    except KeyboardInterrupt:
        server.stop()
