"""python3-libvirt 9.0 as a console client of our daemon.

    console_client.py URI

Opens the console of domain 'con' on URI, writes data through the stream
and expects the fake console (an echo) to send it back: a short line, then
1 MiB (more than the daemon's window, so flow control is exercised), then
finishes the stream. Exits 0 on success, 1 with a message otherwise.
"""
import sys

import libvirt


def recv_exactly(st, n):
    got = b""
    while len(got) < n:
        chunk = st.recv(n - len(got))
        if chunk == -2 or not isinstance(chunk, bytes):
            raise RuntimeError("unexpected recv result %r" % (chunk,))
        if not chunk:
            raise RuntimeError("stream ended after %d of %d bytes" % (len(got), n))
        got += chunk
    return got


def main():
    conn = libvirt.open(sys.argv[1])
    dom = conn.lookupByName("con")
    st = conn.newStream(0)
    dom.openConsole(None, st, 0)
    st.send(b"hello console\n")
    line = recv_exactly(st, 14)
    if line != b"hello console\n":
        print("echo mismatch: %r" % line)
        return 1
    blob = bytes(range(256)) * 4096
    sent = 0
    received = b""
    while sent < len(blob):
        sent += st.send(blob[sent:sent + 65536])
        # Read back as we go: the echo cannot hold 1 MiB in a socket buffer.
        received += recv_exactly(st, min(65536, len(blob) - len(received)))
    if received != blob:
        print("1 MiB echo differs")
        return 1
    st.finish()
    conn.close()
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
