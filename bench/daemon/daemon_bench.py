"""Measures one libvirt daemon through python3-libvirt 9.0 and prints JSON.

    daemon_bench.py URI PID [SECONDS]

URI names the daemon's test driver (test+unix:///default?socket=...), PID
is the daemon's process (for its resident memory). Measured, in order:
  rss_idle_kib        the daemon's RSS before this script connects
  lookup_info_1       lookupByName("test") + info() calls/s, one client
  lookup_info_16      the same summed over 16 client processes at once
  define_5000_s       seconds to define 5,000 domains on one connection
  list_all_5000_ms    median milliseconds of listAllDomains() with them
  rss_5000_kib        the daemon's RSS with the 5,000 domains defined
The test driver keeps its state per connection, so the domains live as
long as the defining connection, which stays open for the last two.
"""
import json
import multiprocessing
import statistics
import sys
import time

import libvirt

DOMAIN = ("<domain type='test'><name>bench-%d</name>"
          "<uuid>6f1c7a4e-0000-4000-8000-%012d</uuid>"
          "<memory unit='KiB'>65536</memory><vcpu>1</vcpu>"
          "<os><type>hvm</type></os></domain>")


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def lookup_info_rate(uri, seconds, start_at=None, out=None):
    conn = libvirt.open(uri)
    for _ in range(200):  # warm-up
        conn.lookupByName("test").info()
    if start_at:
        while time.time() < start_at:
            time.sleep(0.001)
    n = 0
    t0 = time.perf_counter()
    deadline = t0 + seconds
    while True:
        for _ in range(50):
            conn.lookupByName("test").info()
        n += 50
        now = time.perf_counter()
        if now >= deadline:
            break
    conn.close()
    rate = n / (now - t0)
    if out is not None:
        out.put(rate)
    return rate


def concurrent_rate(uri, seconds, clients):
    queue = multiprocessing.Queue()
    start_at = time.time() + 1.0 + 0.05 * clients  # every client connected and warm
    procs = [multiprocessing.Process(target=lookup_info_rate,
                                     args=(uri, seconds, start_at, queue))
             for _ in range(clients)]
    for p in procs:
        p.start()
    rates = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join()
    return sum(rates)


def main():
    uri, pid = sys.argv[1], int(sys.argv[2])
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 2.0
    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    out = {"rss_idle_kib": rss_kib(pid)}
    out["lookup_info_1"] = lookup_info_rate(uri, seconds)
    out["lookup_info_16"] = concurrent_rate(uri, seconds, 16)
    conn = libvirt.open(uri)
    t0 = time.perf_counter()
    for i in range(5000):
        conn.defineXML(DOMAIN % (i, i))
    out["define_5000_s"] = time.perf_counter() - t0
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        doms = conn.listAllDomains(0)
        times.append((time.perf_counter() - t0) * 1000)
        assert len(doms) >= 5000, len(doms)
        del doms
    out["list_all_5000_ms"] = statistics.median(times)
    out["rss_5000_kib"] = rss_kib(pid)
    conn.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
