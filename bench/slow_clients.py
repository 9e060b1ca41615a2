#!/usr/bin/env python3
"""Slow clients against a running dangan: N connections each send a request head one header line
at a time and never finish it (a slowloris); meanwhile GET /api/health is timed. Prints the
probes' latencies and the server's resident memory before and during.

    bench/slow_clients.py PORT PID [CLIENTS] [SECONDS]
"""
import socket, sys, threading, time, http.client

port, pid = int(sys.argv[1]), int(sys.argv[2])
clients = int(sys.argv[3]) if len(sys.argv) > 3 else 64
seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 20

def rss_kib():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])

def probe():
    start = time.monotonic()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        c.request("GET", "/api/health")
        status = c.getresponse().status
    except OSError:
        status = "no answer in 10 s"
    c.close()
    return status, (time.monotonic() - start) * 1000

before = rss_kib()
socks = []
for _ in range(clients):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    socks.append(s)
done = False
def dribble():
    n = 0
    while not done:
        for s in socks:
            try: s.sendall(f"X-Slow-{n}: 1\r\n".encode())
            except OSError: pass
        n += 1
        time.sleep(1)
t = threading.Thread(target=dribble); t.start()
time.sleep(1)
latencies, statuses = [], []
end = time.monotonic() + seconds
while time.monotonic() < end:
    status, ms = probe()
    statuses.append(status); latencies.append(ms)
    time.sleep(0.5)
during = rss_kib()
done = True; t.join()
for s in socks: s.close()
latencies.sort()
print(f"{clients} slow clients, {len(latencies)} health probes over {seconds:.0f} s: "
      f"statuses {sorted(set(map(str, statuses)))}, median {latencies[len(latencies)//2]:.1f} ms, "
      f"max {latencies[-1]:.1f} ms; server RSS {before} KiB before, {during} KiB during")
