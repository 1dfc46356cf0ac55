#!/usr/bin/env python3
"""Steady load through the balancer for `bench/balancer`: submissions with an Idempotency-Key
(retried with the same key until acknowledged), tracking lookups of acknowledged reports, and
citizen registrations (each one email). Python's standard library only.

    balancer-load.py URL SECONDS WORKERS OUT.json

Writes what the clients saw: every acknowledged submission (key, title, tracking code), every
registration (email), and per-kind counts of answers and failures (a failure: no answer, or a
5xx, before the client's retry).
"""
import http.client
import json
import random
import sys
import threading
import time
import urllib.parse
import uuid

url, seconds, workers, out = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
target = urllib.parse.urlsplit(url)
stop_at = time.monotonic() + seconds
lock = threading.Lock()
acknowledged = []  # (key, title, code)
registered = []
given_up = []  # keys never acknowledged (a retry budget ran out)
counts = {}  # kind -> {"ok": n, "failed": n}
timeline = []  # (seconds since start, kind, ok)
started = time.monotonic()


def count(kind, ok):
    with lock:
        c = counts.setdefault(kind, {"ok": 0, "failed": 0})
        c["ok" if ok else "failed"] += 1
        timeline.append((round(time.monotonic() - started, 2), kind, ok))


def call(method, path, body=None, headers=None):
    """One HTTP exchange on a fresh connection: (status, body) or (None, error)."""
    conn = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
    try:
        h = {"Content-Type": "application/json"} if body is not None else {}
        h.update(headers or {})
        conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)
        r = conn.getresponse()
        return r.status, r.read().decode("utf-8", "replace")
    except (OSError, http.client.HTTPException) as e:
        return None, str(e)
    finally:
        conn.close()


def fake_client(n):
    """A distinct client address per registration (the registration limit is per network)."""
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def submit(worker):
    key = uuid.uuid4().hex
    title = f"Lampu jalan padam {key}"
    body = {
        "kind": "complaint",
        "title": title,
        "description": "Lampu penerangan jalan di ruas ini padam sejak pekan lalu, rawan kecelakaan.",
        "category_id": 1,
        "region_code": "76.04",
    }
    # Retry with the same key until the answer comes (a client on a flaky path does exactly
    # this); give up only after ~30 s.
    for attempt in range(60):
        status, text = call("POST", "/api/v1/reports", body, {"Idempotency-Key": key})
        ok = status in (200, 201)
        count("submit", ok)
        if ok:
            code = json.loads(text)["tracking_code"]
            with lock:
                acknowledged.append((key, title, code))
            return
        if status is not None and status < 500 and status != 429:
            raise SystemExit(f"submission refused: {status} {text}")
        time.sleep(0.5)
    with lock:
        given_up.append(key)


def lookup():
    with lock:
        if not acknowledged:
            return
        code = random.choice(acknowledged)[2]
    status, _ = call("GET", f"/api/v1/track/{code}")
    count("lookup", status == 200)


def register(n):
    email = f"warga-{uuid.uuid4().hex[:12]}@contoh.id"
    body = {"name": "Warga Uji Beban", "login": email, "password": "kata sandi beban 2026"}
    for attempt in range(60):
        status, text = call("POST", "/api/v1/accounts", body, {"X-Forwarded-For": fake_client(n)})
        ok = status in (200, 201)
        count("register", ok)
        if ok:
            with lock:
                registered.append(email)
            return
        if status is not None and status < 500 and status != 429:
            # Already made by an earlier try whose answer was lost: the login is taken.
            if status == 422 and ('"login"' in text or '"email"' in text):
                with lock:
                    registered.append(email)
                return
            raise SystemExit(f"registration refused: {status} {text}")
        time.sleep(0.5)


def work(worker):
    n = worker * 100000
    i = 0
    while time.monotonic() < stop_at:
        i += 1
        if i % 10 == 0:
            n += 1
            register(n)
        elif i % 2 == 0:
            submit(worker)
        else:
            lookup()


threads = [threading.Thread(target=work, args=(w,)) for w in range(workers)]
for t in threads:
    t.start()
for t in threads:
    t.join()
with open(out, "w") as f:
    json.dump(
        {
            "acknowledged": acknowledged,
            "registered": registered,
            "given_up": given_up,
            "counts": counts,
            "timeline": timeline,
        },
        f,
    )
