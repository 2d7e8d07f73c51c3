"""A buffering proxy (Debian's nginx) in front of gunicorn for the mixed load.

Production has one: docker-compose binds gunicorn to loopback for the local TLS proxy.
Without it, a sync worker that accepts the connection of a member who is still
thinking waits for that member's request while others queue (docs/performance.md).
The proxy reads each request whole before it opens a connection to gunicorn.
"""

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CONFIG = """\
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {dir}/body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://127.0.0.1:{upstream};
      proxy_set_header Host $host;
      # Whole pages in memory: the largest thread page is about 400 KB.
      proxy_buffer_size 16k;
      proxy_buffers 64 16k;
      proxy_max_temp_file_size 0;
    }}
  }}
}}
"""


def nginx_config(*, directory: Path, port: int, upstream: int) -> str:
    return CONFIG.format(dir=directory, port=port, upstream=upstream)


@contextmanager
def buffering_proxy(*, directory: Path, port: int, upstream: int) -> Iterator[None]:
    """nginx on 127.0.0.1:`port` in front of 127.0.0.1:`upstream`, while the block runs."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).is_file():
        raise SystemExit("nginx is not installed: `make bench-mixed` installs it.")
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "nginx.conf"
    config.write_text(nginx_config(directory=directory, port=port, upstream=upstream))
    proxy = subprocess.Popen(  # noqa: S603 - fixed arguments
        [nginx, "-c", str(config), "-p", str(directory), "-e", str(directory / "error.log")]
    )
    try:
        _wait_for(port, proxy)
        yield
    finally:
        proxy.terminate()
        proxy.wait(timeout=30)


def _wait_for(port: int, proxy: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if proxy.poll() is not None:
            raise SystemExit(f"nginx exited with {proxy.returncode}: see var/bench/nginx/")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit("nginx did not come up within 10 s")
