"""Hostile input: the offending client gets an error or is closed, another
client keeps being served, and the daemon's memory stays bounded."""
import os
import socket
import struct
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402

import libvirt  # noqa: E402

REMOTE = 0x20008086
CALL, REPLY = 0, 1
STATUS_ERROR = 1
VIR_ERR_NO_SUPPORT = 3
VIR_ERR_RPC = 39


def frame(program, version, procedure, serial, payload=b"", msg_type=CALL):
    header = struct.pack(">IIiiIi", program, version, procedure, msg_type, serial, 0)
    return struct.pack(">I", 4 + len(header) + len(payload)) + header + payload


def recv_frame(sock):
    def exactly(n):
        data = b""
        while len(data) < n:
            try:
                chunk = sock.recv(n - len(data))
            except ConnectionResetError:  # closed with our bytes still unread
                return None
            if not chunk:
                return None
            data += chunk
        return data
    head = exactly(4)
    if head is None:
        return None
    (length,) = struct.unpack(">I", head)
    rest = exactly(length - 4)
    if rest is None:
        return None
    program, version, procedure, msg_type, serial, status = struct.unpack(">IIiiIi", rest[:24])
    return {"procedure": procedure, "type": msg_type, "serial": serial, "status": status,
            "payload": rest[24:]}


class Hostile(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.daemon = harness.OurDaemon()
        libvirt.registerErrorHandler(lambda ctx, err: None, None)
        cls.good = libvirt.open(cls.daemon.uri())

    @classmethod
    def tearDownClass(cls):
        cls.good.close()
        cls.daemon.close()

    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(10)
        s.connect(self.daemon.socket)
        return s

    def assert_still_served(self):
        self.assertEqual(self.good.lookupByName("test").name(), "test")

    def assert_closed(self, s):
        self.assertIsNone(recv_frame(s))
        s.close()

    def call_error_code(self, data):
        s = self.connect()
        s.sendall(data)
        reply = recv_frame(s)
        s.close()
        self.assertIsNotNone(reply)
        self.assertEqual(reply["type"], REPLY)
        self.assertEqual(reply["status"], STATUS_ERROR)
        return struct.unpack(">i", reply["payload"][:4])[0]

    def test_garbage_bytes_close_the_client(self):
        s = self.connect()
        s.sendall(b"\xde\xad\xbe\xef" * 64)
        self.assert_closed(s)
        self.assert_still_served()

    def test_truncated_frame_then_disconnect(self):
        s = self.connect()
        s.sendall(frame(REMOTE, 1, 23, 1, b"\x00" * 100)[:40])
        s.close()
        self.assert_still_served()

    def test_length_over_the_limit_closes_the_client(self):
        s = self.connect()
        s.sendall(struct.pack(">I", 32 * 1024 * 1024 + 5) + b"\x00" * 24)
        self.assert_closed(s)
        self.assert_still_served()

    def test_unknown_program_gets_an_error(self):
        self.assertEqual(self.call_error_code(frame(0x12345678, 1, 1, 7)), VIR_ERR_RPC)
        self.assert_still_served()

    def test_unknown_version_gets_an_error(self):
        self.assertEqual(self.call_error_code(frame(REMOTE, 9, 1, 7)), VIR_ERR_RPC)
        self.assert_still_served()

    def test_unknown_procedure_gets_an_error(self):
        self.assertEqual(self.call_error_code(frame(REMOTE, 1, 99999, 7)), VIR_ERR_RPC)
        self.assert_still_served()

    def test_undescribed_procedure_is_no_support(self):
        # 300 is a libvirt procedure we do not describe.
        self.assertEqual(self.call_error_code(frame(REMOTE, 1, 300, 7)), VIR_ERR_NO_SUPPORT)
        self.assert_still_served()

    def test_oversize_string_gets_an_error(self):
        payload = struct.pack(">I", 4 * 1024 * 1024 + 1) + b"a" * 64
        code = self.call_error_code(frame(REMOTE, 1, 23, 7, payload))
        self.assertNotEqual(code, 0)
        self.assert_still_served()

    def test_disconnect_mid_call(self):
        s = self.connect()
        s.sendall(frame(REMOTE, 1, 66, 1))  # AUTH_LIST, then leave at once
        s.close()
        self.assert_still_served()

    def test_memory_stays_bounded_over_many_hostile_clients(self):
        def round_of_abuse():
            for i in range(40):
                s = self.connect()
                kind = i % 4
                try:
                    if kind == 0:
                        s.sendall(os.urandom(256))
                    elif kind == 1:
                        s.sendall(struct.pack(">I", 1024 * 1024) + b"\x00" * 4096)
                    elif kind == 2:
                        s.sendall(frame(0x1, 1, 1, 1))
                    else:
                        s.sendall(frame(REMOTE, 1, 23, 1, struct.pack(">I", 5 * 1024 * 1024)))
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the daemon may close us before we finish
                s.close()
            self.assert_still_served()
        for _ in range(3):
            round_of_abuse()  # warm up the allocator and the worker threads
        before = self.daemon.rss_kib()
        for _ in range(10):  # 400 hostile connections
            round_of_abuse()
        after = self.daemon.rss_kib()
        self.assertLess(after - before, 16 * 1024, f"RSS grew from {before} to {after} KiB")


if __name__ == "__main__":
    unittest.main()
