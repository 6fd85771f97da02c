#!/usr/bin/env python3
"""The anchor for the pairwise benchmark: OpenMined PSI (PyPI `openmined-psi`, ECDH on P-256),
on the same sets as `exchange-node bench` (distinct mainland mobiles in canonical form):
server (the publishing member) holds +86139 00000000 .. n-1; client (the screening member) holds
n accounts of which every 100th is on the server's list. Prints one JSON line with the timings.
Install: pip install openmined-psi
"""
import json
import sys
import time

import private_set_intersection.python as psi


def phone(prefix, index):
    return "+86%s%08d" % (prefix, index % 100_000_000)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    server_items = [phone("139", i) for i in range(n)]
    client_items = [phone("139", (i // 100) % n) if i % 100 == 0 else phone("158", i) for i in range(n)]
    expected = sum(1 for i in range(n) if i % 100 == 0)

    t0 = time.perf_counter()
    server = psi.server.CreateWithNewKey(True)
    client = psi.client.CreateWithNewKey(True)
    setup = server.CreateSetupMessage(1e-9, len(client_items), server_items, psi.DataStructure.RAW)
    t1 = time.perf_counter()
    request = client.CreateRequest(client_items)
    t2 = time.perf_counter()
    response = server.ProcessRequest(request)
    t3 = time.perf_counter()
    intersection = client.GetIntersection(setup, response)
    t4 = time.perf_counter()
    print(json.dumps({
        "n": n, "intersection": len(intersection), "expected": expected,
        "setup_s": round(t1 - t0, 3), "request_s": round(t2 - t1, 3),
        "processing_s": round(t3 - t2, 3), "finish_s": round(t4 - t3, 3), "total_s": round(t4 - t0, 3),
    }))


if __name__ == "__main__":
    main()
