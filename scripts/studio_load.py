#!/usr/bin/env python3
"""Measure `vaegan-render serve` under hostile load, on loopback only, bounded in count and time.

    python3 scripts/studio_load.py BINARY RUN_FOLDER

RUN_FOLDER must hold a finished run (config.json, checkpoint, recording). The script copies its
config and checkpoint into a scratch run whose recording repeats the run's records up to 1 GB,
starts `BINARY serve` on it (port 0), and prints one line per measure:
  - /api/state's first answer on the 1 GB recording: time, and GET / latency meanwhile;
  - 1,100 sockets that send half a request header and hang for 20 s: GET / latency among them,
    how many the server closed, the server's RSS before, during and after;
  - 1,000 event streams: the server's CPU over 10 idle seconds, and how long after a write to the
    run every stream has its event.
"""
import os, shutil, socket, subprocess, sys, tempfile, threading, time, urllib.request

def rss_mb(pid, key="VmRSS"):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0

def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

def get(port, path, timeout=30):
    t0 = time.time()
    with urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}{path}"), timeout=timeout) as r:
        r.read()
    return (time.time() - t0) * 1000

def main(binary, source):
    scratch = tempfile.mkdtemp(prefix="studio-load-")
    run = os.path.join(scratch, "run")
    os.makedirs(run)
    for name in ("config.json", "checkpoint.safetensors"):
        shutil.copy(os.path.join(source, name), run)
    body = open(os.path.join(source, "recording.vgr"), "rb").read()
    header, records = body[:12], body[12:]
    with open(os.path.join(run, "recording.vgr"), "wb") as f:
        f.write(header)
        written = 0
        while written < 1 << 30:
            f.write(records)
            written += len(records)
    size_gb = os.path.getsize(os.path.join(run, "recording.vgr")) / (1 << 30)
    server = subprocess.Popen([binary, "serve", "--run", run, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = server.stdout.readline()
        port = int(line.rsplit(":", 1)[1].strip().rstrip("/"))
        pid = server.pid
        print(f"serve pid {pid} on port {port}; recording {size_gb:.2f} GB")
        get(port, "/")
        base_rss = rss_mb(pid)

        # 1. The first /api/state reads the whole recording; GET / meanwhile.
        latencies, done = [], threading.Event()
        def page_meanwhile():
            while not done.is_set():
                latencies.append(get(port, "/"))
                time.sleep(0.05)
        t = threading.Thread(target=page_meanwhile); t.start()
        state_ms = get(port, "/api/state", timeout=120)
        done.set(); t.join()
        print(f"1 GB recording: first /api/state {state_ms:.0f} ms; GET / meanwhile max {max(latencies):.1f} ms over {len(latencies)} "
              f"requests; peak RSS {rss_mb(pid, 'VmHWM'):.0f} MB (before {base_rss:.0f} MB)")

        # 2. 1,100 half-open sockets for 20 s.
        before = rss_mb(pid)
        hanging = []
        for _ in range(1100):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Slow: ".encode())
            hanging.append(s)
        page = get(port, "/")
        during = rss_mb(pid)
        time.sleep(20)
        closed = 0
        for s in hanging:
            s.settimeout(0.01)
            try:
                closed += s.recv(1) == b""
            except (socket.timeout, ConnectionResetError):
                closed += 0
            s.close()
        time.sleep(1)
        print(f"1,100 half-open sockets: GET / among them {page:.1f} ms, then {get(port, '/'):.1f} ms after 20 s; "
              f"{closed} closed by the server; RSS {before:.0f} / {during:.0f} / {rss_mb(pid):.0f} MB before / during / after")

        # 3. 1,000 event streams.
        streams = []
        for _ in range(1000):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(f"GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            streams.append(s)
        def wait_event(s, deadline):
            buf = b""
            while time.time() < deadline:
                s.settimeout(max(0.01, deadline - time.time()))
                try:
                    chunk = s.recv(65536)
                except socket.timeout:
                    return False
                if not chunk:
                    return False
                buf += chunk
                if b"event: state" in buf:
                    return True
            return False
        opened = sum(wait_event(s, time.time() + 10) for s in streams)
        c0 = cpu_seconds(pid); time.sleep(10); idle = (cpu_seconds(pid) - c0) / 10
        for s in streams:  # drop the keep-alives read so far
            s.settimeout(0.001)
            try:
                while s.recv(65536): pass
            except (socket.timeout, BlockingIOError):
                pass
        with open(os.path.join(run, "losses.csv"), "w") as f:
            f.write("iteration,d_steps,g_steps,L_prior,L_dis_llike,L_GAN\n")
        t0 = time.time()
        got = sum(wait_event(s, t0 + 5) for s in streams)
        print(f"1,000 event streams: {opened} opened; server CPU while idle {100 * idle:.1f}% of a core; after a write, "
              f"{got} had their event within {time.time() - t0:.2f} s")
        for s in streams: s.close()
    finally:
        server.kill()
        shutil.rmtree(scratch)

if __name__ == "__main__":
    main(*sys.argv[1:3])
