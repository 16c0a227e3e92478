"""A real Virtuoso Open Source 7 server (Debian's `virtuoso-opensource-7-bin`) for the remote-store tests.

Started from its own minimal ini file with a fresh database in a temporary folder, both listeners on
127.0.0.1 at free ports, and stopped by its process id at the end. Writes go where a production Virtuoso takes
them: ``/sparql-graph-crud-auth`` with HTTP digest authentication as ``dba`` (a fresh database's DBA password
is ``dba``); queries go to the anonymous ``/sparql``.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from tests.remote import SparqlServer
from tests.server import free_port, stop

VIRTUOSO = "virtuoso-t"
INSTALL = "apt-get install -y --no-install-recommends virtuoso-opensource-7-bin"
USER = PASSWORD = "dba"  # noqa: S105 - the DBA password of a fresh test database

INI = """\
[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {db}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
TempStorage        = TempDatabase
[TempDatabase]
DatabaseFile       = {db}/virtuoso-temp.db
TransactionFile    = {db}/virtuoso-temp.trx
[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
; without CaseMode = 2, ASK answers come back as a table (__ASK_RETVAL), not a boolean
CaseMode           = 2
DirsAllowed        = .
NumberOfBuffers    = 2000
MaxDirtyBuffers    = 1200
[HTTPServer]
ServerPort         = 127.0.0.1:{http_port}
ServerRoot         = {db}/vsp
ServerThreads      = 10
EnabledDavVSP      = 0
[SPARQL]
ResultSetMaxRows   = 1000000
MaxQueryExecutionTime = {query_timeout}
"""


@dataclass(frozen=True)
class VirtuosoServer(SparqlServer):
    query_path: str = "sparql"
    store_path: str = "sparql-graph-crud-auth"
    user: str = USER
    password: str = PASSWORD
    system_graphs: frozenset[str] = frozenset()  # what a fresh database holds already (virtrdf#, ...)

    def graphs(self) -> dict[str, int]:
        return {g: n for g, n in self.all_graphs().items() if g not in self.system_graphs}


@contextmanager
def virtuoso_server(folder: Path, query_timeout: int = 30) -> Iterator[VirtuosoServer]:
    """Run `virtuoso-t` on free ports with a fresh database in ``folder``; wait at most 90 s for it.

    ``query_timeout`` is the server's own limit (MaxQueryExecutionTime): past it Virtuoso answers with
    partial results and an ``X-SQL-State`` header, which the publisher treats as a timeout.
    """
    if shutil.which(VIRTUOSO) is None:
        raise RuntimeError(
            f"{VIRTUOSO} is not installed: the remote-store tests run against Virtuoso too. "
            f"Install Debian's package as `make test` does (scripts/install-test-tools.sh): {INSTALL}"
        )
    (folder / "vsp").mkdir(parents=True)
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(db=folder, sql_port=sql_port, http_port=http_port, query_timeout=query_timeout))
    log = (folder / "virtuoso.out").open("wb")
    process = subprocess.Popen(
        [VIRTUOSO, "+configfile", str(ini), "+foreground"], cwd=folder, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{http_port}/"
    try:
        _wait_until_ready(url, process, folder)
        fresh = VirtuosoServer(url)
        yield VirtuosoServer(url, system_graphs=frozenset(fresh.all_graphs()))
    finally:
        stop(process, seconds=30)
        log.close()


def _wait_until_ready(url: str, process: subprocess.Popen[bytes], folder: Path) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            answer = requests.get(f"{url}sparql", params={"query": "ASK {}"}, timeout=5)
            if answer.status_code == 200:
                return
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            tail = (folder / "virtuoso.out").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"virtuoso did not start at {url}:\n{tail}")
        time.sleep(0.1)
