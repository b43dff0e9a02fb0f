"""Our decoder is exactly as liberal as libvirtd 9.0's (libtirpc), no more.

Each probe sends hand-made bytes that a real client may send (go-libvirt
writes CONNECT_OPEN's "name present" flag as 01 00 00 00) or that bend XDR
(extra bytes after the arguments, a NUL inside a string, non-zero padding,
a truncated body) to our daemon and to a real libvirtd 9.0, and compares
what comes back: the reply status, the error's code and domain, the reply
payload, and whether the connection still serves a call afterwards. Our
error message starts with libvirtd's and goes on to name the object or the
cause ("Domain not found: no domain with matching name 'te'").
Without a real libvirtd the probes run against ours alone and check the
answers libvirtd 9.0 gave when this test was written.
"""
import os
import socket
import struct
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402

REMOTE = 0x20008086
OPEN, CLOSE, LOOKUP_BY_NAME = 1, 2, 23
VIR_ERR_NO_DOMAIN, VIR_ERR_RPC = 42, 39
VIR_FROM_TEST, VIR_FROM_RPC = 12, 7


def xdr_string(data):
    return struct.pack(">I", len(data)) + data + b"\0" * (-len(data) % 4)


OPEN_DEFAULT = struct.pack(">I", 1) + xdr_string(b"test:///default") + struct.pack(">I", 0)

# name -> (calls: list of (procedure, payload)); only the last reply is compared
# together with whether the connection answers CLOSE afterwards.
PROBES = {
    "bool_as_little_endian_one": [(OPEN, b"\x01\x00\x00\x00" + xdr_string(b"test:///default")
                                   + struct.pack(">I", 0))],
    "bool_as_two": [(OPEN, struct.pack(">I", 2) + xdr_string(b"test:///default")
                     + struct.pack(">I", 0))],
    "bytes_after_the_arguments": [(OPEN, OPEN_DEFAULT + b"garbage!")],
    "nul_ends_a_name": [(OPEN, OPEN_DEFAULT), (LOOKUP_BY_NAME, xdr_string(b"test\0zz"))],
    "nul_early_in_a_name": [(OPEN, OPEN_DEFAULT), (LOOKUP_BY_NAME, xdr_string(b"te\0st"))],
    "non_zero_padding": [(OPEN, OPEN_DEFAULT),
                         (LOOKUP_BY_NAME, struct.pack(">I", 3) + b"tesX")],
    "truncated_arguments": [(OPEN, struct.pack(">I", 1) + xdr_string(b"test:///default"))],
}

# What libvirtd 9.0 answered (status, error code, domain, message or payload
# prefix), for runs without a real libvirtd.
EXPECTED = {
    "bool_as_little_endian_one": ("ok", None),
    "bool_as_two": ("ok", None),
    "bytes_after_the_arguments": ("ok", None),
    "nul_ends_a_name": ("ok", "0000000474657374"),  # found "test"
    "nul_early_in_a_name": ("error", (VIR_ERR_NO_DOMAIN, VIR_FROM_TEST, "Domain not found")),
    "non_zero_padding": ("error", (VIR_ERR_NO_DOMAIN, VIR_FROM_TEST, "Domain not found")),
    "truncated_arguments": ("error", (VIR_ERR_RPC, VIR_FROM_RPC,
                                      "Unable to decode message payload")),
}


def _exactly(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError(f"closed after {len(data)} of {n} bytes")
        data += chunk
    return data


def _call(sock, serial, procedure, payload):
    header = struct.pack(">IIiiIi", REMOTE, 1, procedure, 0, serial, 0)
    sock.sendall(struct.pack(">I", 4 + len(header) + len(payload)) + header + payload)
    (length,) = struct.unpack(">I", _exactly(sock, 4))
    rest = _exactly(sock, length - 4)
    status = struct.unpack(">i", rest[20:24])[0]
    return status, rest[24:]


def _describe(status, payload):
    if status == 0:
        return ("ok", payload.hex()[:16] or None)
    code, domain, present = struct.unpack(">iiI", payload[:12])
    message = None
    if present:
        (n,) = struct.unpack(">I", payload[12:16])
        message = payload[16:16 + n].decode()
    return ("error", (code, domain, message))


def run_probe(socket_path, calls):
    sock = socket.socket(socket.AF_UNIX)
    sock.settimeout(20)
    sock.connect(socket_path)
    try:
        answer = None
        for serial, (procedure, payload) in enumerate(calls, start=1):
            answer = _describe(*_call(sock, serial, procedure, payload))
        try:
            still_serves = _call(sock, len(calls) + 1, CLOSE, b"")[0] == 0
        except (EOFError, ConnectionResetError):
            still_serves = False
        return answer, still_serves
    finally:
        sock.close()


class LiberalWire(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.ours = harness.OurDaemon()
        cls.real = harness.RealDaemon.start()

    @classmethod
    def tearDownClass(cls):
        cls.ours.close()
        if cls.real:
            cls.real.close()

    def assertSameAnswer(self, ours, theirs, name):
        """Same status, code, domain and payload; our message extends theirs."""
        self.assertEqual(ours[0], theirs[0], name)
        if ours[0] == "error":
            self.assertEqual(ours[1][:2], theirs[1][:2], name)
            self.assertTrue(ours[1][2].startswith(theirs[1][2]),
                            f"{name}: our message {ours[1][2]!r} does not extend {theirs[1][2]!r}")
        elif theirs[1] is not None:
            self.assertEqual(ours[1], theirs[1], name)

    def check(self, name):
        ours, ours_serves = run_probe(self.ours.socket, PROBES[name])
        if self.real:
            real, real_serves = run_probe(self.real.socket, PROBES[name])
            self.assertSameAnswer(ours, real, name)
            self.assertEqual(ours_serves, real_serves, name)
        self.assertSameAnswer(ours, EXPECTED[name], name)
        self.assertTrue(ours_serves, f"{name}: the connection must go on serving")


for _name in PROBES:
    setattr(LiberalWire, "test_" + _name, lambda self, n=_name: self.check(n))


if __name__ == "__main__":
    unittest.main()
