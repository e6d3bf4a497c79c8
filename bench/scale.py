"""Throughput and peak memory at provincial scale (prints a table; asserts nothing).

    .venv/bin/python bench/scale.py [--sizes 1000 5000 20000] [--reposts 100 400]
        [--engines serial workers ray] [--model-sizes 1000] [--baseline-commit 63bc283] [--repeat 1]

Every case is a weekly briefing built by `python -m digest weekly` in a child
process, over deterministic synthetic posts (bench/synthetic.py): distinct posts
of 20 accounts over a week, and ten stories each reposted word for word by 100
or 400 accounts. Each row gives wall time, posts per second, CPU per post (the
child and the processes it waited for: Ray's actors are not among them) and
peak memory (the largest process). Ratios are against the serial run of the
same case and, with --baseline-commit, against that commit (the code before
this change, checked out with `git worktree add`) on the same input, measured
in the same run, so a machine shared with other work slows both alike. The
briefings' bytes are compared too: every engine must write what serial writes.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import distinct_posts, reposted_stories, write_export  # noqa: E402

WEEK = "2026-W04"
ENGINE_FLAGS = {"serial": [], "workers": ["--workers", "2"], "ray": ["--engine", "ray", "--workers", "2"]}


def measure(checkout: Path, export: Path, flags: list[str], model: bool, repeat: int) -> dict:
    """Medians over `repeat` runs of one briefing in a child process: wall s, CPU s, peak MB, output hash."""
    walls, cpus, peaks, digests = [], [], [], set()
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as scratch:
            output = Path(scratch) / "briefing.json"
            command = [sys.executable, "-m", "digest", "weekly", "-i", str(export), "-w", WEEK, "-f", "json",
                       "-o", str(output), "--summarizer", "auto" if model else "extractive", *flags]
            env = {**os.environ, "PYTHONPATH": str(checkout), "RAY_AUTH_MODE": "disabled"}
            start = time.perf_counter()
            child = subprocess.Popen(command, cwd=checkout, env=env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
            _, status, usage = os.wait4(child.pid, 0)
            walls.append(time.perf_counter() - start)
            errors = child.stderr.read().decode(errors="replace")
            child.stderr.close()
            if os.waitstatus_to_exitcode(status) != 0:
                raise SystemExit(f"failed: {' '.join(command)}\n{errors[-2000:]}")
            cpus.append(usage.ru_utime + usage.ru_stime)
            peaks.append(usage.ru_maxrss / 1024)
            digests.add(hashlib.sha256(output.read_bytes()).hexdigest()[:12])
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus), "peak": max(peaks),
            "digest": "/".join(sorted(digests))}


def baseline_checkout(commit: str) -> Path:
    path = Path(tempfile.gettempdir()) / f"digest-baseline-{commit}"
    if not path.exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(path), commit], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 4000, 5000, 20000])
    parser.add_argument("--reposts", type=int, nargs="*", default=[100, 400], help="accounts reposting each story")
    parser.add_argument("--engines", nargs="*", default=list(ENGINE_FLAGS), choices=list(ENGINE_FLAGS))
    parser.add_argument("--model-sizes", type=int, nargs="*", default=[1000],
                        help="distinct-post sizes also run with the shipped model (slow)")
    parser.add_argument("--baseline-commit", help="also time this commit (the code before) on the same inputs")
    parser.add_argument("--baseline-max", type=int, default=4000,
                        help="largest input the baseline runs (it compares all pairs)")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()

    baseline = baseline_checkout(args.baseline_commit) if args.baseline_commit else None
    cases = [(f"distinct {n}", distinct_posts(n), False) for n in args.sizes]
    cases += [(f"distinct {n} +model", distinct_posts(n), True) for n in args.model_sizes]
    cases += [(f"10 stories x {n} reposts", reposted_stories(10, n), False) for n in args.reposts]
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs "
          "(other work on the machine slows every row; compare ratios within this run)")
    header = (f"{'case':<26} {'engine':<9} {'posts':>6} {'wall s':>8} {'posts/s':>8} {'CPU ms/post':>11} "
              f"{'peak MB':>8} {'wall vs serial':>14} {'CPU vs before':>13}  bytes")
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as scratch:
        for name, posts, model in cases:
            export = write_export(posts, Path(scratch) / "posts.json")
            before = None
            if baseline and len(posts) <= args.baseline_max:
                before = measure(baseline, export, [], model, args.repeat)
                row(name, "before", len(posts), before, None, None, "")
            serial = None
            for engine in args.engines:
                if engine == "ray" and not _has_ray():
                    print(f"{name:<26} {'ray':<9} (ray is not installed: pip install 'digest[ray]')")
                    continue
                result = measure(ROOT, export, ENGINE_FLAGS[engine], model, args.repeat)
                serial = serial or result
                same = "same as serial" if result["digest"] == serial["digest"] else "DIFFERENT from serial"
                if before and engine == "serial":
                    same = "same as before" if result["digest"] == before["digest"] else "DIFFERENT from before"
                row(name, engine, len(posts), result, serial, before if engine == "serial" else None, same)
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


def row(name: str, engine: str, posts: int, result: dict, serial: dict | None, before: dict | None,
        same: str) -> None:
    versus_serial = f"{result['wall'] / serial['wall']:.2f}x" if serial else ""
    versus_before = f"{result['cpu'] / before['cpu']:.2f}x" if before else ""
    cpu = f"{result['cpu'] * 1000 / posts:.1f}" if engine != "ray" else "n/a"
    print(f"{name:<26} {engine:<9} {posts:>6} {result['wall']:>8.1f} {posts / result['wall']:>8.0f} {cpu:>11} "
          f"{result['peak']:>8.0f} {versus_serial:>14} {versus_before:>13}  {same}", flush=True)


def _has_ray() -> bool:
    try:
        import ray  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    main()
