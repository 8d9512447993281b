#!/usr/bin/env python
"""Bounded load test of the web API, loopback only.

Starts ``newsweave serve`` in a subprocess on a free loopback port (or uses
``--url`` of a server already running on this machine), sends ``--requests``
``POST /api/synthesize`` calls with ``--concurrency`` in flight, and reports
latency (p50, p95, max), throughput, errors, and how fast ``/healthz``
answered while the load ran (the event loop must stay free).

    python scripts/load_web.py --requests 40 --concurrency 4
    python scripts/load_web.py --url http://127.0.0.1:8000 --json

Refuses any URL that does not resolve to a loopback address.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "newsweave" / "data" / "sample"
MAX_REQUESTS = 1000
MAX_CONCURRENCY = 32


def loopback_only(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        sys.exit(f"refusing {url}: give the server's address, e.g. http://127.0.0.1:8000")
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, None)}
    except OSError as exc:
        sys.exit(f"refusing {url}: cannot resolve {parts.hostname} ({exc})")
    if not addresses or not all(ipaddress.ip_address(a).is_loopback for a in addresses):
        sys.exit(f"refusing {url}: the load test only targets loopback addresses")
    return url.rstrip("/")


def sample_payload(length: str, analyze: bool) -> dict:
    meta = json.loads((SAMPLE / "meta.json").read_text())
    arts = []
    for name in ("reuters.txt", "second-outlet.txt"):
        item = {"text": (SAMPLE / name).read_text(), "title": meta[name]["title"]}
        if meta[name].get("outlet"):
            item["outlet"] = meta[name]["outlet"]
        arts.append(item)
    return {"articles": arts, "length": length, "analyze": analyze}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(args) -> tuple[subprocess.Popen, str]:
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "newsweave.cli",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(args.workers),
        "--no-urls",
    ]
    if args.embedder:
        cmd += ["--embedder", args.embedder]
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    # identical payloads would otherwise hit the embedding cache after the first
    env["NEWSWEAVE_EMBED_CACHE"] = str(args.embed_cache)
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return proc, f"http://127.0.0.1:{port}"


def wait_ready(url: str, proc: subprocess.Popen | None, timeout: float = 300) -> float:
    import httpx

    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if proc is not None and proc.poll() is not None:
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            sys.exit(f"the server exited during start-up:\n{err[-2000:]}")
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return time.perf_counter() - t0
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    sys.exit(f"the server at {url} did not become ready within {timeout:g} s")


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


async def run_load(url: str, payload: dict, n: int, concurrency: int) -> dict:
    import anyio
    import httpx

    latencies: list[float] = []
    statuses: dict[int, int] = {}
    health: list[float] = []
    limiter = anyio.Semaphore(concurrency)
    done = anyio.Event()

    async with httpx.AsyncClient(base_url=url, timeout=600) as client:
        warm = await client.post("/api/synthesize", json=payload)  # not counted
        if warm.status_code != 200:
            sys.exit(f"warm-up request failed: HTTP {warm.status_code} {warm.text[:300]}")

        async def one() -> None:
            async with limiter:
                t0 = time.perf_counter()
                r = await client.post("/api/synthesize", json=payload)
                latencies.append(time.perf_counter() - t0)
                statuses[r.status_code] = statuses.get(r.status_code, 0) + 1

        async def probe() -> None:
            while not done.is_set():
                t0 = time.perf_counter()
                await client.get("/healthz")
                health.append(time.perf_counter() - t0)
                await anyio.sleep(0.25)

        t_start = time.perf_counter()
        async with anyio.create_task_group() as outer:
            outer.start_soon(probe)
            async with anyio.create_task_group() as tg:
                for _ in range(n):
                    tg.start_soon(one)
            done.set()
        wall = time.perf_counter() - t_start

    return {
        "requests": n,
        "concurrency": concurrency,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "wall_s": round(wall, 2),
        "throughput_rps": round(n / wall, 3),
        "latency_p50_s": round(pct(latencies, 50), 3),
        "latency_p95_s": round(pct(latencies, 95), 3),
        "latency_max_s": round(max(latencies), 3),
        "latency_mean_s": round(statistics.fmean(latencies), 3),
        "healthz_during_load_p50_ms": round(1000 * pct(health, 50), 1),
        "healthz_during_load_max_ms": round(1000 * max(health), 1) if health else None,
        "healthz_probes": len(health),
    }


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--url", help="a running server on this machine (default: start one)")
    ap.add_argument("--requests", "-n", type=int, default=20)
    ap.add_argument("--concurrency", "-c", type=int, default=4)
    ap.add_argument("--workers", type=int, default=2, help="--workers of the started server")
    ap.add_argument("--embedder", default=None, help="--embedder of the started server")
    ap.add_argument(
        "--embed-cache",
        type=int,
        default=0,
        help="NEWSWEAVE_EMBED_CACHE of the started server (default 0: every request "
        "embeds its sentences, as for new articles)",
    )
    ap.add_argument("--length", default="150w")
    ap.add_argument("--analyze", action="store_true", help="ask for the cross-source analysis")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    if not 1 <= args.requests <= MAX_REQUESTS:
        sys.exit(f"--requests must be between 1 and {MAX_REQUESTS}")
    if not 1 <= args.concurrency <= MAX_CONCURRENCY:
        sys.exit(f"--concurrency must be between 1 and {MAX_CONCURRENCY}")

    import anyio

    proc = None
    if args.url:
        url = loopback_only(args.url)
    else:
        proc, url = start_server(args)
    try:
        # a server given by --url is running already: do not wait minutes for it
        startup = wait_ready(url, proc, timeout=300 if proc is not None else 15)
        payload = sample_payload(args.length, args.analyze)
        result = anyio.run(run_load, url, payload, args.requests, args.concurrency)
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
    result.update(
        {
            "server_startup_s": round(startup, 2) if proc is not None else None,
            "server_workers": args.workers if proc is not None else None,
            "server_embed_cache": args.embed_cache if proc is not None else None,
            "payload": f"2 seed articles ({sum(len(a['text']) for a in payload['articles'])} chars), "
            f"length {args.length}, analyze={args.analyze}",
            "cpus": os.cpu_count(),
        }
    )
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"payload: {result['payload']}")
    print(
        f"requests: {args.requests} at concurrency {args.concurrency}; statuses {result['statuses']}"
    )
    print(f"wall time: {result['wall_s']} s   throughput: {result['throughput_rps']} req/s")
    print(
        f"latency: p50 {result['latency_p50_s']} s  p95 {result['latency_p95_s']} s  "
        f"max {result['latency_max_s']} s"
    )
    print(
        f"/healthz during load: p50 {result['healthz_during_load_p50_ms']} ms  "
        f"max {result['healthz_during_load_max_ms']} ms ({result['healthz_probes']} probes)"
    )


if __name__ == "__main__":
    main()
