"""A real OpenID Connect provider (PyPI ``oidc-provider-mock``) on a free 127.0.0.1 port."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import oidc_provider_mock
import requests
import werkzeug.serving


@contextmanager
def running_provider() -> Iterator[str]:
    """Serve the provider in a thread for the block; yields its issuer URL."""
    app = oidc_provider_mock.app(require_nonce=True)
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


def set_claims(issuer: str, subject: str, claims: dict) -> None:
    """What the provider says about ``subject`` at its next login."""
    requests.put(f"{issuer}/users/{subject}", json=claims, timeout=5).raise_for_status()
