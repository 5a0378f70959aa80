"""Hand-made attacks with random variations: decompression bombs, gzip members cut or padded,
NDJSON nested deep or holding lone surrogates, NUL and control characters, forged cursors on
every list, webhook URLs with control characters, If-Match and Idempotency-Key tricks, random
archives. Every answer must be below 500; ``/healthz`` is polled all along and must stay fast.

The short slice runs every attack once with a fixed seed; CARA_HOSTILE_MINUTES keeps drawing
attacks (seed printed; CARA_HOSTILE_SEED replays one run) until its share of the time is spent.
"""

from __future__ import annotations

import base64
import gzip
import io
import json
import random
import re
import threading
import time
import zipfile
from collections.abc import Callable

import httpx
import yaml

from tests.hostile.conftest import LONG, SEED, Target, budget
from tests.support.ingest_data import MBIS, claim, to_csv
from tests.support.server import PROJECT_DIR

SPEC = yaml.safe_load((PROJECT_DIR / "openapi.yaml").read_text())
LIST_PATHS = sorted(
    path
    for path, operations in SPEC["paths"].items()
    if any(p["name"] == "cursor" for p in operations.get("get", {}).get("parameters", []))
)
CONTROL = [chr(c) for c in (*range(0x00, 0x20), 0x7F, 0x85, 0xA0, 0x2028)]
Attack = Callable[[Target, random.Random], list[httpx.Response]]


def _claims_csv(rng: random.Random, rows: int) -> bytes:
    return to_csv([claim(claim_id=f"H{rng.randrange(10**9)}", mbi=rng.choice(MBIS)) for _ in range(rows)])


def gzip_bomb(target: Target, rng: random.Random) -> list[httpx.Response]:
    header = _claims_csv(rng, 1).split(b"\n", 1)[0] + b"\n"
    filler = rng.choice([b"\n", b"\r\n", b" \n", _claims_csv(rng, 1).split(b"\n", 1)[1]])
    body = gzip.compress(header + filler * (rng.randint(5, 40) * 1_000_000 // len(filler)), compresslevel=9)
    with target.client("aco") as aco:
        return [aco.post(rng.choice(["/v1/claims", "/v1/alignment"]), content=body, headers=_gz())]


def _gz() -> dict[str, str]:
    return {"content-type": "text/csv", "content-encoding": "gzip"}


def gzip_members(target: Target, rng: random.Random) -> list[httpx.Response]:
    data = _claims_csv(rng, rng.randint(1, 50))
    cuts = sorted(rng.sample(range(1, len(data)), k=min(len(data) - 1, rng.randint(1, 5))))
    pieces = [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)], strict=True)]
    body = b"".join(gzip.compress(p) for p in pieces)
    tail = rng.choice([b"", b"", b"\x00" * rng.randint(1, 8), b"\x1f", b"garbage", gzip.compress(b"x")[:-3]])
    with target.client("aco") as aco:
        response = aco.post("/v1/claims?on_error=skip", content=body + tail, headers=_gz())
        if not tail:  # every member read: all the rows, never only the first member's
            assert response.status_code in (200, 201), response.text
            assert response.json()["rows_received"] == data.count(b"\n") - 1
        return [response]


def ndjson_rows(target: Target, rng: random.Random) -> list[httpx.Response]:
    lines = []
    for _ in range(rng.randint(1, 20)):
        row = json.loads(json.dumps(claim(claim_id=f"N{rng.randrange(10**6)}")))
        kind = rng.randrange(6)
        if kind == 0:
            depth = rng.randint(2, 3000)
            lines.append('{"claim_id": ' + "[" * depth + "]" * depth + "}")
            continue
        field = rng.choice(list(row))
        if kind == 1:
            row[field] = "\\ud" + rng.choice("89ab") + "00"
        elif kind == 2:
            row[field] = "".join(
                rng.choice([*CONTROL, "a", "\u00e9", "\U0001f600"]) for _ in range(rng.randint(1, 8))
            )
        elif kind == 3:
            row["x" + "".join(rng.choice(CONTROL)) + str(rng.randrange(99))] = 1
        elif kind == 4:
            row[field] = rng.choice([10**30, -1, 1.5e308, True, None, [], {}, [[["Z91.81"]]]])
        text = json.dumps(row).replace('"\\\\ud', '"\\ud')
        lines.append(text)
    body = ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")
    with target.client("aco") as aco:
        return [aco.post("/v1/claims", content=body, headers={"content-type": "application/x-ndjson"})]


def raw_bytes(target: Target, rng: random.Random) -> list[httpx.Response]:
    header = _claims_csv(rng, 1).split(b"\n", 1)[0] + b"\n"
    body = header + bytes(rng.randrange(256) for _ in range(rng.randint(0, 4000)))
    content_type = rng.choice(["text/csv", "application/x-ndjson", "text/csv; charset=latin-1"])
    with target.client("aco") as aco:
        return [
            aco.post("/v1/alignment", content=body, headers={"content-type": content_type}),
            aco.post("/v1/cclf-deliveries", content=body, headers={"content-type": "application/zip"}),
        ]


def cclf_archive(target: Target, rng: random.Random) -> list[httpx.Response]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for number in range(rng.randint(1, 5)):
            name = rng.choice(["P.A9999.ACO.ZC0Y27.D270115.T1200000", f"ZC{number}Y27", "..", "a/b/c"])
            bundle.writestr(f"{name}{number}", bytes(rng.randrange(256) for _ in range(rng.randint(0, 500))))
    data = bytearray(buffer.getvalue())
    for _ in range(rng.randint(0, 3)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    with target.client("aco") as aco:
        return [
            aco.post("/v1/cclf-deliveries", content=bytes(data), headers={"content-type": "application/zip"})
        ]


def _json_value(rng: random.Random, depth: int = 0) -> object:
    choice = rng.randrange(9 if depth < 3 else 6)
    return [
        lambda: rng.choice([True, False, None]),
        lambda: rng.choice([0, -1, 2**31, 2**63, 10**30, -(10**30)]),
        lambda: rng.random() * 10 ** rng.randint(-5, 300),
        lambda: "".join(rng.choice([*CONTROL, "a", "|", "\u00e9"]) for _ in range(rng.randint(0, 12))),
        lambda: "\ud800",
        lambda: "zz_" + str(rng.randrange(10**9)),
        lambda: [_json_value(rng, depth + 1) for _ in range(rng.randint(0, 3))],
        lambda: {"k": _json_value(rng, depth + 1)},
        lambda: [[[[[[[[]]]]]]]],
    ][choice]()


def forged_cursor(target: Target, rng: random.Random) -> list[httpx.Response]:
    value = [_json_value(rng)] if rng.random() < 0.8 else _json_value(rng)
    raw = json.dumps(value).encode("utf-8", "surrogatepass")
    cursor = (
        base64.urlsafe_b64encode(raw).decode().rstrip("=") if rng.random() < 0.9 else raw.decode("latin-1")
    )
    path = re.sub(r"\{[^}]+\}", "zz", rng.choice(LIST_PATHS))
    with target.client(rng.choice(["ops", "aco", "provider"])) as client:
        return [client.get(path, params={"cursor": cursor[:512], "claims_cutoff": "2029-12-31"})]


def webhook_url(target: Target, rng: random.Random) -> list[httpx.Response]:
    url = rng.choice(
        ["https://8.8.8.8/x", "http://192.0.0.8/", "http://[2002:7f00:1::]/h", "https://example.org/a?t=1"]
    )
    position = rng.randrange(len(url) + 1)
    url = url[:position] + "".join(rng.choice(CONTROL) for _ in range(rng.randint(0, 2))) + url[position:]
    with target.client(rng.choice(["aco", "provider"])) as client:
        response = client.post("/v1/webhook-endpoints", json={"url": url, "events": ["*"]})
        if response.status_code == 201:  # only a clean public URL can pass: disable it again
            assert not any(c in url for c in CONTROL), url
            client.post(f"/v1/webhook-endpoints/{response.json()['id']}/disable")
        return [response]


def preconditions(target: Target, rng: random.Random) -> list[httpx.Response]:
    with target.client("aco") as aco:
        listed = aco.get("/v1/arrangements", params={"limit": 5}).json()["items"]
        arrangement = rng.choice(listed)["id"] if listed else "arr_zz"
        # Header values as a client can send them (h11 refuses control characters outright).
        sendable = [*range(0x20, 0x7F), 0x09, *range(0x80, 0x100)]
        header = rng.choice([b"*", b'W/"x"', b'"a", "b"', b"", b",,", b'"\xff\xfe"', b"x" * 5000])
        key = bytes(rng.choice(sendable) for _ in range(rng.randint(0, 300))).strip(b" \t")
        scheme = rng.choice([b"Bearer", b"bearer", b"BEARER", b"Basic", b""])
        headers = [
            (b"If-Match", header),
            (b"Idempotency-Key", key),
            (b"Authorization", (scheme + b" " + target.keys["aco"].encode()).strip()),
        ]
        return [aco.post(f"/v1/arrangements/{arrangement}/withdraw", headers=headers)]


ATTACKS: list[Attack] = [
    gzip_bomb,
    gzip_members,
    ndjson_rows,
    raw_bytes,
    cclf_archive,
    forged_cursor,
    webhook_url,
    preconditions,
]


def test_attacks_never_get_a_5xx_and_healthz_stays_fast(target: Target) -> None:
    rng = random.Random(SEED)
    latencies: list[float] = []
    stop = threading.Event()

    def poll() -> None:
        with httpx.Client(base_url=target.server.base_url, timeout=30) as client:
            while not stop.is_set():
                started = time.perf_counter()
                assert client.get("/healthz").status_code == 200
                latencies.append(time.perf_counter() - started)
                time.sleep(0.02)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    counts: dict[str, int] = {}
    try:
        deadline = time.monotonic() + budget(0.4)
        rounds = 0
        while rounds == 0 or (LONG and time.monotonic() < deadline):
            for attack in ATTACKS if not LONG else [rng.choice(ATTACKS)]:
                for response in attack(target, rng):
                    status = response.status_code
                    counts[f"{status // 100}xx"] = counts.get(f"{status // 100}xx", 0) + 1
                    assert status < 500, f"{attack.__name__} (seed {SEED}): {status} {response.text[:300]}"
            rounds += 1
    finally:
        stop.set()
        poller.join(timeout=30)
    # p99 over a long run; over the short slice's few dozen polls p99 would be the single worst
    # one (a scheduling hiccup of a shared CI machine), so the slice checks p95. The strict p99
    # check of one bomb is tests/test_hostile_uploads.py.
    ordered = sorted(latencies)
    share = 0.99 if LONG else 0.95
    slow = ordered[min(len(ordered) - 1, int(len(ordered) * share))]
    print(
        f"attacks: {rounds} rounds, {counts}; /healthz p{share * 100:.0f} {slow * 1000:.0f} ms over {len(latencies)} polls"
    )
    # The long run holds the 100 ms target; the slice, run beside a second suite on a shared
    # 2-core CI machine, only has to show that no attack blocks the event loop (that took
    # seconds per bomb before uploads were read off it).
    bound = 0.1 if LONG else 0.5
    assert slow < bound, f"/healthz p{share * 100:.0f} {slow * 1000:.0f} ms"
