"""The JVM engines (Spark, Trino, Flink) for the Python suite: each runs compat's EngineShell in
the JVM and with the classpath the Maven build wrote to compat/target/engine-shell/, connected to
the app as the Maven scenarios connect theirs, and answers one SQL statement per line."""

import json
import os
import select
import subprocess
from collections import deque
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "compat" / "target"
# Trino's server comes up in the shell's first minute or two; Spark and Flink are quicker.
STARTUP_SECONDS = 300
STATEMENT_SECONDS = 300
# Trino needs no library of Spark's: its JDBC driver is self-contained and just shares the JVM.
JVM = {"spark": "spark", "trino": "spark", "flink": "flink"}


class ShellError(Exception):
    """A statement the engine rejected; the message is the engine's."""


class EngineShell:
    def __init__(self, engine: str, uri: str, warehouse: str, work: Path):
        self.engine = engine
        self.work = work
        # Not "trino.log": that is the Trino server's, which would overwrite the shell's.
        self.log = work / f"{engine}-shell.log"
        shell = BUILD / "engine-shell"
        if not (shell / "jvm.args").is_file():
            raise RuntimeError(f"{shell} is missing: run ./mvnw -pl compat test-compile first")
        classpath = [str(BUILD / "test-classes"), (shell / f"{JVM[engine]}.classpath").read_text()]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    (shell / "java.path").read_text().strip(),
                    f"@{shell / 'jvm.args'}",
                    # Trino's server log lands beside the shell's.
                    f"-Dcompat.logs={work}",
                    # Trino's driver renders timestamps with a zone in this one.
                    "-Duser.timezone=UTC",
                    "-cp",
                    os.pathsep.join(part.strip() for part in classpath),
                    "io.bingsan.compat.EngineShell",
                    engine,
                    uri,
                    warehouse,
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                cwd=work,
                text=True,
                encoding="utf-8",
            )
        self.ready = False
        self.failure: str | None = None

    def sql(self, statement: str) -> list:
        """The rows of a query (as JSON values), or [] for any other statement."""
        if "\n" in statement:
            raise ValueError("the shell reads one statement per line")
        self._await_ready()
        self.process.stdin.write(statement + "\n")
        self.process.stdin.flush()
        answer = self._answer(STATEMENT_SECONDS)
        if "error" in answer:
            raise ShellError(f"{self.engine}: {answer['error']}")
        return answer["rows"]

    def _await_ready(self):
        """Waits for the shell's first answer, once; a shell that did not start fails every use
        with the same message, each time in an error of its own: re-raising one would lengthen
        its traceback by every use, burying the message in CI's output."""
        if not self.ready and self.failure is None:
            try:
                self._answer(STARTUP_SECONDS)
                self.ready = True
            except RuntimeError as e:
                self.process.kill()
                self.failure = str(e)
        if self.failure is not None:
            raise RuntimeError(self.failure)

    def _answer(self, timeout: float) -> dict:
        readable, _, _ = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline() if readable else ""
        if not line:
            state = "exited" if self.process.poll() is not None else f"silent for {timeout} s"
            raise RuntimeError(f"{self.engine} shell {state}; {self.log}:\n{self.log_tail()}")
        return json.loads(line)

    def log_tail(self, lines: int = 60) -> str:
        """The end of the shell's log and, for Trino, of its server's."""
        logs = [self.log] + ([self.work / "trino.log"] if self.engine == "trino" else [])
        tails = []
        for log in filter(Path.exists, logs):
            with log.open(errors="replace") as f:
                tails.append(f"--- {log.name}\n" + "".join(deque(f, maxlen=lines)))
        return "\n".join(tails)

    def close(self):
        self.process.stdin.close()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_shells(uri: str, warehouse: str, work: Path) -> dict[str, EngineShell]:
    """Spark, Trino and Flink on one app, started together so that their start-ups overlap."""
    shells = {}
    for engine in JVM:
        (work / engine).mkdir()
        shells[engine] = EngineShell(engine, uri, warehouse, work / engine)
    return shells
