"""Runs the real Bingsan jar for the engine tests: once on the embedded PostgreSQL and, when
BINGSAN_TEST_JDBC_URL/_USER/_PASSWORD name one, once more on a PostgreSQL server. Every test
runs in each mode; the session ends with one `N passed, N failed` line counting both."""

import os
import random
import re
import socket
import subprocess
import time
import urllib.request
import uuid
from collections import deque
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb
import pytest
from pyiceberg.catalog import load_catalog

from shells import start_shells

REPO = Path(__file__).resolve().parents[2]
MODES = ["embedded"] + (["server"] if os.environ.get("BINGSAN_TEST_JDBC_URL") else [])
STARTUP_SECONDS = 120


@dataclass
class Bingsan:
    mode: str
    uri: str
    log: Path

    def log_tail(self, lines: int = 60) -> str:
        with self.log.open(errors="replace") as f:
            return "".join(deque(f, maxlen=lines))


_HANDED_OUT: set[int] = set()


def _free_port() -> int:
    """A loopback port nothing listens on now, not handed out before, from the span just below
    the kernel's ephemeral range: one from bind(0) is in that range, where any process's outgoing
    connection can take it before the app binds it; below it, only an explicit bind can."""
    ephemeral_start = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    candidates = range(max(1024, ephemeral_start - 10_000), ephemeral_start)
    for port in random.sample(candidates, 100):
        if port in _HANDED_OUT:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _HANDED_OUT.add(port)
        return port
    raise RuntimeError(f"No free loopback port in {candidates}")


def _config(mode: str) -> str:
    """The shipped config.yml; for a server, its commented `database` block uncommented, exactly
    as the README tells operators to do (its settings come from BINGSAN_DB_*)."""
    text = (REPO / "config.yml").read_text()
    if mode == "server":
        text = re.sub(r"(?m)^#(database:|  )", r"\1", text)
        # Without the block the app would quietly fall back to the embedded PostgreSQL.
        assert re.search(r"(?m)^database:", text), "config.yml has no commented database block"
    return text


def _ready(uri: str) -> bool:
    try:
        with urllib.request.urlopen(uri + "v1/config", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="session", params=MODES)
def bingsan(request, tmp_path_factory):
    mode = request.param
    work = tmp_path_factory.mktemp(f"bingsan-{mode}")
    port = _free_port()
    config = work / "config.yml"
    config.write_text(_config(mode))
    env = os.environ | {
        "BINGSAN_PORT": str(port),
        "BINGSAN_ADMIN_PORT": str(_free_port()),
        "BINGSAN_DATA_DIR": str(work / "postgres"),
        "BINGSAN_WAREHOUSE_LOCATION": str(work / "warehouse"),
    }
    if mode == "server":
        env |= {
            "BINGSAN_DB_URL": os.environ["BINGSAN_TEST_JDBC_URL"],
            "BINGSAN_DB_USER": os.environ["BINGSAN_TEST_JDBC_USER"],
            "BINGSAN_DB_PASSWORD": os.environ["BINGSAN_TEST_JDBC_PASSWORD"],
        }
    java = Path(os.environ["JAVA_HOME"], "bin", "java") if "JAVA_HOME" in os.environ else "java"
    jar = Path(os.environ.get("BINGSAN_JAR", REPO / "app" / "target" / "bingsan.jar"))
    app = Bingsan(mode, f"http://127.0.0.1:{port}/", work / "app.log")
    with app.log.open("wb") as log:
        process = subprocess.Popen(
            # No load balancer to drain: stop at once instead of the configured grace period.
            [
                str(java),
                "-Ddw.health.delayedShutdownHandlerEnabled=false",
                "-jar",
                str(jar),
                "server",
                str(config),
            ],
            env=env,
            cwd=work,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _ready(app.uri):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Bingsan ({mode}) did not start; {app.log}:\n{app.log_tail()}")
            time.sleep(0.2)
        yield app
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def catalog(bingsan):
    """PyIceberg as a user configures it: the catalog URI and the warehouse, nothing else."""
    return load_catalog("bingsan", uri=bingsan.uri, warehouse="default")


@pytest.fixture
def namespace(request, catalog):
    """A fresh namespace per test; the suffix keeps reruns on one PostgreSQL server apart."""
    name = f"{request.node.originalname.removeprefix('test_')}_{uuid.uuid4().hex[:8]}"
    catalog.create_namespace(name)
    return name


def _extension(name: str) -> str:
    """An extension file from its PyPI package, built for exactly this DuckDB version."""
    package = resources.files(f"duckdb_extension_{name}")
    return str(package / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension")


@pytest.fixture(scope="session")
def duck_database(bingsan, tmp_path_factory):
    """DuckDB with the catalog attached as `bingsan`, its REST defaults untouched (stage-create,
    commits through transactions/commit). Extensions load only from the installed wheels: DuckDB
    must never fetch one at run time. Loading them takes seconds, so once per app."""
    with pytest.MonkeyPatch.context() as patch:
        # DuckDB makes an empty `data` folder in the working directory before it stages a table
        # (before asking the catalog anything): keep it out of the work tree.
        patch.chdir(tmp_path_factory.mktemp("duckdb-cwd"))
        con = duckdb.connect(
            config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
        )
        for name in ("httpfs", "avro", "iceberg"):
            con.execute(f"LOAD '{_extension(name)}'")
        con.execute(
            f"ATTACH 'default' AS bingsan "
            f"(TYPE iceberg, ENDPOINT '{bingsan.uri}', AUTHORIZATION_TYPE 'none')"
        )
        yield con
        con.close()


@pytest.fixture
def duck(duck_database):
    """A connection of its own per test: its own transactions, nothing cached from another test."""
    con = duck_database.cursor()
    yield con
    con.close()


@pytest.fixture(scope="session")
def shells(bingsan, tmp_path_factory):
    """Spark, Trino and Flink on this app, started when a test first needs them."""
    shells = start_shells(bingsan.uri, "default", tmp_path_factory.mktemp(f"shells-{bingsan.mode}"))
    yield shells
    for shell in shells.values():
        shell.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item):
    """A failure shows the end of the app's log, and of the engine shells', which CI keeps no
    other way."""
    report = yield
    funcargs = getattr(item, "funcargs", {})
    app = funcargs.get("bingsan")
    if report.failed and app is not None:
        report.sections.append((f"Bingsan ({app.mode}) log tail", app.log_tail()))
        for shell in funcargs.get("shells", {}).values():
            report.sections.append((f"{shell.engine} ({app.mode}) log tail", shell.log_tail()))
    return report


def pytest_unconfigure(config):
    """The plain closing line CI reads; an error (say, a mode whose app did not start) fails."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    passed = len(reporter.stats.get("passed", []))
    failed = len(reporter.stats.get("failed", [])) + len(reporter.stats.get("error", []))
    print(f"{passed} passed, {failed} failed")
