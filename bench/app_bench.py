"""`make bench-app`: the platform's pages at size, on SQLite and PostgreSQL, with one table at the end.

For each engine and size: a fresh database (SQLite file; PostgreSQL in a throwaway cluster on a
loopback port), `flask db upgrade`, `flask seed-scale --needs N`; then, in a fresh process warmed up
as gunicorn's master is before it forks (a fresh worker), each page of issue 13's table: the first
request, then warm requests (median, p95), SQL statements and response size; then a Locust load
test against gunicorn (4 gthread workers, loopback only; 50 users, 60 s, 10 % writes).
Wall-clock figures depend on the machine's load: say so with them.

    python -m bench.app_bench --sizes 10000,100000 --engines sqlite,postgresql
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_BIN = Path(sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]) if Path("/usr/lib/postgresql").exists() else None
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
SIMILAR = "/needs/similar.json?title=ドローン物流の実証&obstacle=目視外飛行の許可に時間がかかる&law=航空法"
# (label, who, path); {need}, {request}, {group}, {organisation} (the member's) are filled from the seeded data.
# The public KPI page exists once the secretariat publishes indicators: `measure` publishes them all.
PAGES = [
    ("similar needs while typing", "member", SIMILAR),
    ("similar needs, secretariat", "secretariat", SIMILAR),
    ("need curation page", "secretariat", "/needs/manage/{need}"),
    ("proposal packages list", "secretariat", "/needs/manage/packages/"),
    ("new package form", "secretariat", "/needs/manage/packages/new"),
    ("needs board", "secretariat", "/needs/manage/board"),
    ("matcher, one trial request", "secretariat", "/introductions/match/request/{request}"),
    ("group members", "secretariat", "/groups/{group}/members"),
    ("secretariat dashboard", "secretariat", "/dashboard"),
    ("member directory, search term", "member", "/members/?q=水素"),
    ("needs list, search term", "member", "/needs/?q=ドローン"),
    ("trial requests, search term", "secretariat", "/trials/requests?q=除雪"),
    ("new package form, search term", "secretariat", "/needs/manage/packages/new?q=ドローン"),
    ("KPI dashboard", "secretariat", "/kpis/manage/"),
    ("KPIs, public page", "member", "/kpis/"),
    ("KPIs of one's organisation", "member", "/kpis/organisations/{organisation}"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(args: list[str], env: dict, timeout: int) -> str:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return done.stdout


# --- measuring pages in this process (run as `python -m bench.app_bench measure`) -------------------

def measure(repeat: int, budget_s: float) -> dict:
    from sqlalchemy import event, func, select

    from app import create_app
    from app.core.config import config_from_environment
    from app.demo.scale import SCALE_PASSWORD
    from app.kpis.labels import BY_KEY
    from app.kpis.services import publish_indicators
    from app.startup import before_fork
    from models import GroupMembership, Organisation, RegulatoryNeed, Role, TrialRequest, User, db

    app = create_app(config_from_environment())
    app.config["WTF_CSRF_ENABLED"] = False
    before_fork(app)  # as gunicorn's master does before it forks: the first request is a fresh worker's
    with app.app_context():
        staff = db.session.scalar(select(User.email).where(User.role == Role.SECRETARIAT, User.email.like("scale%"))
                                  .order_by(User.id))
        member = db.session.scalar(select(User.email).join(Organisation, User.organisation_id == Organisation.id)
                                   .where(User.role == Role.MEMBER, User.email.like("scale%")).order_by(User.id))
        publish_indicators(db.session.scalar(select(User).where(User.email == staff)), list(BY_KEY))
        db.session.commit()
        ids = {"organisation": db.session.scalar(select(User.organisation_id).where(User.email == member)),
               "need": db.session.scalar(select(func.max(RegulatoryNeed.id))),
               "request": db.session.scalar(select(func.max(TrialRequest.id))),
               "group": db.session.scalar(select(GroupMembership.group_id).group_by(GroupMembership.group_id)
                                          .order_by(func.count().desc()).limit(1))}
        needs = db.session.scalar(select(func.count(RegulatoryNeed.id)))
        engine = db.engine
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    clients = {}
    for who, email in (("secretariat", staff), ("member", member)):
        client = app.test_client()
        response = client.post("/auth/login", data={"email": email, "password": SCALE_PASSWORD})
        assert response.status_code == 302, (who, response.status_code)
        clients[who] = client
    results = {}
    for label, who, path in PAGES:
        path = path.format(**ids)
        times = []
        for i in range(repeat + 1):
            if i > 1 and sum(times) > budget_s:
                break  # a page this slow is reported from the requests made so far (the run stays bounded)
            statements.clear()
            started = time.perf_counter()
            response = clients[who].get(path)
            times.append(time.perf_counter() - started)
            if i == 0:
                first = {"status": response.status_code, "bytes": len(response.data), "statements": len(statements)}
        warm = times[1:] or times[:1]
        results[label] = {**first, "first_ms": times[0] * 1000, "warm_requests": len(times) - 1, "median_ms": statistics.median(warm) * 1000,
                          "p95_ms": _p95(warm) * 1000,
                          "statements_warm": len(statements), "path": path}
    return {"pages": results, "accounts": load_accounts(app), "ids": ids, "needs": needs}


def load_accounts(app, per_role: int = 25) -> dict[str, list[str]]:
    """Accounts for the load test's users, one each where the seeded data has enough: many sessions
    opening at once on one account look like password guessing and are throttled (HTTP 429)."""
    from sqlalchemy import select

    from models import Organisation, Role, User, db

    with app.app_context():
        staff = select(User.email).where(User.role == Role.SECRETARIAT, User.email.like("scale%"))
        members = (select(User.email).join(Organisation, User.organisation_id == Organisation.id)
                   .where(User.role == Role.MEMBER, User.email.like("scale%")))
        return {"secretariat": list(db.session.scalars(staff.order_by(User.id).limit(per_role))),
                "member": list(db.session.scalars(members.order_by(User.id).limit(per_role)))}


# --- the load test ------------------------------------------------------------------------------

RAMP_SECONDS = 10  # 50 users started at 10 a second, and their first requests


def load_test(env: dict, accounts: dict, ids: dict, users: int, seconds: int, workdir: Path) -> dict:
    port = _free_port()
    log = (workdir / "gunicorn.log").open("wb")
    # The project's gunicorn.conf.py (preloaded, warmed-up app shared by the workers), as `make run` and
    # production start it (its threads a worker too); only the worker count, address and log level are set here.
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--workers", "4",
         "--bind", f"127.0.0.1:{port}", "--timeout", "60", "--log-level", "warning", "--access-logfile", "/dev/null",
         "wsgi:app"],
        cwd=ROOT, env={**env, "APP_ENV": "development"}, stdout=subprocess.DEVNULL, stderr=log)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.5)
        prefix = workdir / "locust"
        locust_env = {**env, "BENCH_ACCOUNTS": json.dumps(accounts), "BENCH_IDS": json.dumps(ids),
                      "BENCH_TIMES": f"{prefix}_times.json"}
        subprocess.run([sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                        "-u", str(users), "-r", str(max(1, users // 5)), "-t", f"{seconds}s", "--host",
                        f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary", "--stop-timeout", "10"],
                       cwd=ROOT, env=locust_env, capture_output=True, timeout=seconds + 180)
        memory = worker_memory(server.pid)
        server_log = (workdir / "gunicorn.log").read_text(errors="replace")
        with open(f"{prefix}_stats.csv") as handle:
            rows = list(csv.DictReader(handle))
        times = json.loads(Path(f"{prefix}_times.json").read_text())
        with open(f"{prefix}_failures.csv") as handle:  # what failed, to be read with the figures
            failures = [f"{r['Method']} {r['Name']} x{r['Occurrences']}: {r['Error'][:200]}" for r in csv.DictReader(handle)]
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    summary = {}
    for kind in ("GET", "POST"):
        kind_rows = [r for r in rows if r["Type"] == kind and r["Name"] != "Aggregated"]
        worst = max(kind_rows, key=lambda r: float(r["95%"]) if r["95%"] not in ("", "N/A") else 0.0, default=None)
        summary[kind] = {"requests": sum(int(r["Request Count"]) for r in kind_rows),
                         "failures": sum(int(r["Failure Count"]) for r in kind_rows),
                         "p95_ms": round(_p95([ms for method, _, ms, _ in times if method == kind])),
                         "worst_name": worst["Name"] if worst else "-", "worst_p95_ms": float(worst["95%"]) if worst else 0.0}
    # Logging in (50 at once while the load ramps up, each a deliberately slow password hash) apart
    # from the submissions users make while working.
    summary["POST"]["p95_ms_without_login"] = round(_p95([ms for method, name, ms, _ in times
                                                          if method == "POST" and name != "login"]))
    # The same after the ramp-up (Locust starts 10 users a second, each logging in at once): how much
    # of the p95 is the logins' burst.
    started = [end - ms / 1000 for _, _, ms, end in times]
    since = min(started, default=0.0) + RAMP_SECONDS
    for kind in ("GET", "POST"):
        summary[kind]["p95_ms_after_ramp"] = round(_p95([ms for (method, _, ms, _), start in zip(times, started)
                                                         if method == kind and start >= since]))
    summary["memory"] = memory
    summary["failure_messages"] = failures
    summary["locked"] = server_log.count("database is locked")
    summary["server_errors"] = server_log.count("Traceback")
    return summary


def _p95(values: list[float]) -> float:
    """The 95th percentile of `values` (nearest rank); 0 for none."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] if ordered else 0.0


def worker_memory(master: int) -> dict:
    """The largest resident (RSS) and proportional (PSS: shared pages divided among the processes that
    share them) set of gunicorn's workers, in MB, read from /proc after the page mix."""
    workers = []
    for task in Path(f"/proc/{master}/task").iterdir():
        workers += [int(pid) for pid in (task / "children").read_text().split()]
    sizes = []
    for pid in workers:
        fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:])
        sizes.append({key: int(fields[key].split()[0]) / 1024 for key in ("Rss", "Pss")})
    return {"workers": len(sizes), "rss_mb": max((s["Rss"] for s in sizes), default=0.0),
            "pss_mb": max((s["Pss"] for s in sizes), default=0.0)}


# --- orchestration --------------------------------------------------------------------------------

class Postgres:
    """A throwaway cluster on a loopback port, as tests/postgres.sh makes one."""

    def __init__(self, port: int):
        self.port, self.dir = port, Path(tempfile.mkdtemp(prefix="thinkdo-bench-pg-"))
        self.as_pg = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []

    def __enter__(self):
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres")
        subprocess.run(self.as_pg + [str(PG_BIN / "initdb"), "-D", str(self.dir / "data"), "-U", "postgres", "--auth=trust",
                                     "--encoding=UTF8", "--locale=C.UTF-8"], check=True, capture_output=True)
        subprocess.run(self.as_pg + [str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-o",
                                     f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                                     f"-c max_connections=200", "-l", str(self.dir / "server.log"), "-w", "start"],
                       check=True, capture_output=True)
        return self

    def database(self, name: str) -> str:
        subprocess.run(self.as_pg + [str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name],
                       check=True, capture_output=True)
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def __exit__(self, *exc):
        subprocess.run(self.as_pg + [str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast", "stop"],
                       capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


def bench_one(engine: str, size: int, url: str, args, workdir: Path) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-secret-" + "x" * 40, "APP_ENV": "development"}
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    _run(flask + ["db", "upgrade"], env, 600)
    started = time.perf_counter()
    _run(flask + ["seed-scale", "--needs", str(size)], env, 3600)
    _run(flask + ["reanalyse"], env, 7200)  # the bulk-inserted rows get their stored matching analyses
    seed_s = time.perf_counter() - started
    if engine == "postgresql":  # statistics of the bulk load, as autovacuum would leave them (not racing it)
        _run([str(PG_BIN / "psql"), url, "-q", "-c", "VACUUM ANALYZE"], env, 3600)
    return {"engine": engine, "size": size, "seed_s": seed_s, **measure_and_load(env, args, workdir)}


def cpu_reference_ms(rounds: int = 5) -> float:
    """How fast a processor core is at the moment: the median of `rounds` runs of a fixed pure-Python
    loop (ms). Only that: on 6 December the pages and the seeding took 1.5-1.7 times as long as in the
    morning while this stayed at 104-115 ms (the loop fits in the processor's cache; the pages do not);
    it read 72-82 ms on a fast machine that afternoon and 103-174 on a slow one that evening. A rough
    sign, then: two runs compare better by their seed times, which the table gives too."""
    times = []
    for _ in range(rounds):
        started, total = time.perf_counter(), 0
        for i in range(2_000_000):
            total += i * i % 7
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure_and_load(env: dict, args, workdir: Path) -> dict:
    """The pages measured in a fresh process, then the load test (unless --load-seconds 0), with the
    machine's speed (`cpu_reference_ms`) before and after."""
    cpu_before = cpu_reference_ms()
    measured = json.loads(_run([sys.executable, "-m", "bench.app_bench", "measure", "--repeat", str(args.repeat),
                                "--page-budget", str(args.page_budget)], env, 7200).strip().splitlines()[-1])
    # One load test's p95 moves by a third between back-to-back runs on this machine (see the README):
    # `--load-runs` repeats it, each run with a fresh server, and the table shows every run.
    loads = [load_test(env, measured["accounts"], measured["ids"], args.users, args.load_seconds, workdir)
             for _ in range(args.load_runs if args.load_seconds else 0)]
    return {"pages": measured["pages"], "loads": loads, "needs": measured["needs"],
            "cpu_ms": (cpu_before, cpu_reference_ms())}


def print_table(results: list[dict]) -> None:
    print("\n| engine | needs | page | status | first ms | median ms | p95 ms | warm n | SQL | KB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for result in results:
        for label, page in result["pages"].items():
            print(f"| {result['engine']} | {result['size']:,} | {label} | {page['status']} | {page['first_ms']:.0f} | "
                  f"{page['median_ms']:.0f} | {page['p95_ms']:.0f} | {page['warm_requests']} | {page['statements_warm']} | {page['bytes'] / 1024:.0f} |")
    print("\n| engine | needs | seed s | CPU ref ms before/after | GET requests | GET failed | GET p95 ms | slowest page: p95 ms | POST requests "
          "| POST failed | POST p95 ms | POST p95 ms without login | GET / POST p95 ms after the first 10 s "
          "| database is locked | server tracebacks | worker RSS MB | worker PSS MB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        cpu = "/".join(f"{ms:.0f}" for ms in r.get("cpu_ms", ()))
        for run, load in enumerate(r["loads"], 1):
            _print_load_row(r, load, cpu if run == 1 else f"(run {run})")
    for r in results:
        for load in r["loads"]:
            for message in load.get("failure_messages", []):
                print(f"failed ({r['engine']}, {r['size']:,}): {message}")


def _print_load_row(r: dict, load: dict, cpu: str) -> None:
    get, post = load.get("GET", {}), load.get("POST", {})
    print(f"| {r['engine']} | {r['size']:,} | {r['seed_s']:.0f} | {cpu} | {get.get('requests', '-')} | {get.get('failures', '-')} | "
          f"{get.get('p95_ms', '-')} | {get.get('worst_name', '-')}: {get.get('worst_p95_ms', '-')} | "
          f"{post.get('requests', '-')} | {post.get('failures', '-')} | {post.get('p95_ms', '-')} | "
          f"{post.get('p95_ms_without_login', '-')} | {get.get('p95_ms_after_ramp', '-')} / {post.get('p95_ms_after_ramp', '-')} | "
          f"{load.get('locked', '-')} | {load.get('server_errors', '-')} | "
          f"{load.get('memory', {}).get('rss_mb', 0):.0f} | {load.get('memory', {}).get('pss_mb', 0):.0f} |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", default="run", choices=["run", "measure", "again"],
                        help="again: measure and load-test the database DATABASE_URL names (filled by seed-scale) once more")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=10, help="warm requests per page")
    parser.add_argument("--page-budget", type=float, default=30.0,
                        help="seconds per page after which no more warm requests are made")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--load-seconds", type=int, default=60, help="0 skips the load test")
    parser.add_argument("--load-runs", type=int, default=1, help="load tests one after the other, each shown")
    parser.add_argument("--pg-port", type=int, default=int(os.environ.get("PG_PORT", "55443")))
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)
    if args.command == "measure":
        print(json.dumps(measure(args.repeat, args.page_budget)))
        return
    results = []
    workdir = Path(tempfile.mkdtemp(prefix="thinkdo-bench-"))
    try:
        if args.command == "again":
            env = {"SECRET_KEY": "bench-secret-" + "x" * 40, **os.environ, "APP_ENV": "development"}
            measured = measure_and_load(env, args, workdir)
            results.append({"engine": env["DATABASE_URL"].partition(":")[0], "size": measured["needs"], "seed_s": 0,
                            **measured})
        else:
            for engine in args.engines.split(","):
                for size in (int(s) for s in args.sizes.split(",")):
                    print(f"{engine}, {size:,} needs ...", file=sys.stderr, flush=True)
                    if engine == "sqlite":
                        url = f"sqlite:///{workdir / f'bench-{size}.sqlite3'}"
                        results.append(bench_one(engine, size, url, args, workdir))
                    else:
                        with Postgres(args.pg_port) as cluster:
                            results.append(bench_one(engine, size, cluster.database(f"bench_{size}"), args, workdir))
                    if args.json:
                        Path(args.json).write_text(json.dumps(results, indent=1))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print_table(results)


if __name__ == "__main__":
    main()
