"""``python -m benchmarks.run``: build (or reuse) the database, serve it, time the scenarios, report.

Usage: ``python -m benchmarks.run --size 100000 [--only app.] [--seed 1] [--requests 200]
[--database-url postgresql://...]``; see benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from benchmarks import dataset, measure, report, scenarios
from benchmarks.server import Server


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="households in the demo database")
    parser.add_argument("--only", metavar="PREFIX", help="run only the scenarios whose names start with PREFIX")
    parser.add_argument("--seed", type=int, default=1, help="demo generator seed")
    parser.add_argument(
        "--database-url",
        help="benchmark this database instead of the cached SQLite one (built when empty; written to by the run)",
    )
    parser.add_argument("--requests", type=int, default=200, help="timed sequential requests per scenario")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    chosen = scenarios.selected(args.only)
    if not chosen:
        raise SystemExit(f"no scenario starts with {args.only!r}; known: {', '.join(scenarios.SCENARIOS)}")
    data = dataset.prepare(args.size, args.seed, args.database_url)
    figures = {} if data.build_s is None else {"dataset.build_s": data.build_s}
    figures |= run_scenarios(data, chosen, measure.Limits(requests=args.requests))
    print(report.table(figures))
    path = report.write_json(figures, report.meta(data.dialect, args.size))
    print(f"\nWritten: {path.relative_to(dataset.ROOT)}")


def run_scenarios(data: dataset.Dataset, chosen: list[scenarios.Scenario], limits: measure.Limits) -> dict:
    """Serve a working copy of the database and run each scenario against it."""
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="panoh-bench-") as tmp:
        folder = Path(tmp)
        server = Server(dataset.working_copy(data, folder), folder)
        try:
            with server:
                ctx = scenarios.Context(server=server, token=server.create_token("clerk"), limits=limits)
                for item in chosen:
                    print(f"{item.name} ...", file=sys.stderr, flush=True)
                    figures |= scenarios.figures_of(item.name, item.run(ctx))
        except BaseException:
            print(f"--- server log (last lines) ---\n{server.log_tail()}", file=sys.stderr)
            raise
        finally:
            _keep_log(server)
    return figures


def _keep_log(server: Server) -> None:
    """Copy the server log to benchmarks/results/server.log and warn about errors in it."""
    if not server.log_path.exists():
        return
    report.RESULTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(server.log_path, report.RESULTS / "server.log")
    problems = server.log_problems()
    if problems:
        print(
            f"warning: {len(problems)} error/warning lines in benchmarks/results/server.log, first: {problems[0]}",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
