#!/usr/bin/env python3
"""A member's webhook receiver, as docs/integration.md tells one to write it, for the webhook tests.

It verifies every delivery's signature (HMAC-SHA256 over "TIMESTAMP.BODY") and timestamp, applies each
record whose seq is above the last one it applied (the idempotency key), and keeps, in --state DIR:
  applied.jsonl    one {"seq","record"} line per record applied, fsynced before the 2xx answer
  duplicates.log   one seq per record received again (at or below the last applied: discarded)
  bodies.log       every request body received, one per line (to check what crossed the wire)
  rejected.log     one line per refused delivery (bad signature, stale timestamp, malformed)
  requests.log     one line per request: answered status and the seqs it carried
It restarts where it stopped (the last applied seq is read back from applied.jsonl), so it can be
SIGKILLed and started again. It writes its port to DIR/port once it listens.

  webhook_receiver.py --state DIR --secret-file FILE [--port N] [--fail-first N] [--fail-status 503] [--hang]
"""
import argparse
import hashlib
import hmac
import http.server
import json
import os
import time

parser = argparse.ArgumentParser()
parser.add_argument("--state", required=True)
parser.add_argument("--secret-file", required=True)
parser.add_argument("--port", type=int, default=0)
parser.add_argument("--fail-first", type=int, default=0, help="answer --fail-status to the first N deliveries")
parser.add_argument("--fail-status", type=int, default=503)
parser.add_argument("--hang", action="store_true", help="never answer (read the request, then wait)")
args = parser.parse_args()

secret = open(args.secret_file, "rb").read().strip()
os.makedirs(args.state, exist_ok=True)
applied_path = os.path.join(args.state, "applied.jsonl")
last_applied = 0
if os.path.exists(applied_path):
    with open(applied_path, "rb") as f:
        for line in f:
            if line.endswith(b"\n"):  # a line cut by a kill before its fsync was never acknowledged
                last_applied = max(last_applied, json.loads(line)["seq"])
failures_left = args.fail_first


def append(name, text):
    with open(os.path.join(args.state, name), "a") as f:
        f.write(text + "\n")
        f.flush()
        os.fsync(f.fileno())


class Receiver(http.server.BaseHTTPRequestHandler):
    def log_message(self, *_):
        pass

    def answer(self, status, seqs=()):
        append("requests.log", json.dumps({"status": status, "seqs": list(seqs)}))
        body = json.dumps({"status": status}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        global last_applied, failures_left
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if args.hang:
            append("requests.log", json.dumps({"status": "hang"}))
            time.sleep(3600)
        append("bodies.log", body.decode("utf-8", "replace").replace("\n", "\\n"))
        timestamp = self.headers.get("X-Exchange-Timestamp", "")
        expected = "v1=" + hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, self.headers.get("X-Exchange-Signature", "")):
            append("rejected.log", "bad signature")
            return self.answer(401)
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:
            append("rejected.log", "stale timestamp " + timestamp)
            return self.answer(401)
        try:
            records = json.loads(body)["records"]
            seqs = [r["seq"] for r in records]
        except (ValueError, KeyError, TypeError):
            append("rejected.log", "malformed body")
            return self.answer(400)
        if failures_left > 0:
            failures_left -= 1
            return self.answer(args.fail_status, seqs)
        if seqs != sorted(set(seqs)):
            append("rejected.log", "batch out of order " + json.dumps(seqs))
        for record in records:
            if record["seq"] <= last_applied:
                append("duplicates.log", str(record["seq"]))
            else:
                append("applied.jsonl", json.dumps(record, sort_keys=True))
                last_applied = record["seq"]
        self.answer(200, seqs)


server = http.server.HTTPServer(("127.0.0.1", args.port), Receiver)
port_file = os.path.join(args.state, "port")
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.replace(port_file + ".tmp", port_file)
server.serve_forever()
