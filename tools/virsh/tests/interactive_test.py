#!/usr/bin/python3
"""The interactive shell under a pseudo-terminal.

Starts our virsh on a pty with a private $HOME and $XDG_CACHE_HOME, types
at it like a user (Tab, arrow keys, Enter) and checks what the terminal
shows and what is left on disk: the banner and prompt, a command and its
output, tab completion of command and option names, history recalled with
the Up key and kept across sessions in $XDG_CACHE_HOME/libvirt/virsh/history,
the read-only prompt, and end of input.

  interactive_test.py --ours BIN [-v]
"""

import argparse
import os
import pty
import re
import select
import signal
import sys
import tempfile
import time
import unittest

OURS = None
REFERENCE = "/usr/bin/virsh"
URI = "test:///default"
UP = "\x1b[A"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x07|\r")


class Session:
    """One virsh process on a pty."""

    def __init__(self, home, *args, env=None, binary=None):
        env = dict({"HOME": home, "XDG_CACHE_HOME": os.path.join(home, "cache"),
                    "PATH": "/usr/bin:/bin", "TERM": "xterm", "LC_ALL": "C"}, **(env or {}))
        binary = binary or OURS
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.chdir(home)
            os.execve(binary, [binary] + list(args), env)
        self.raw = b""

    def read_until(self, pattern, timeout=10):
        """Reads until the cleaned-up screen text matches 'pattern'."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if re.search(pattern, self.text()):
                return self.text()
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    data = os.read(self.fd, 4096)
                except OSError:
                    break
                if not data:
                    break
                self.raw += data
        if re.search(pattern, self.text()):
            return self.text()
        raise AssertionError(f"timed out waiting for {pattern!r}; screen so far:\n{self.text()}")

    def text(self):
        return ANSI.sub("", self.raw.decode(errors="replace"))

    def type(self, keys):
        os.write(self.fd, keys.encode())

    def wait(self, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                try:
                    while True:
                        ready, _, _ = select.select([self.fd], [], [], 0.05)
                        if not ready:
                            break
                        data = os.read(self.fd, 4096)
                        if not data:
                            break
                        self.raw += data
                except OSError:
                    pass
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
            time.sleep(0.05)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        raise AssertionError("virsh did not exit; screen:\n" + self.text())


class InteractiveTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="virsh-pty-")
        self.home = self.tmp.name
        self.history = os.path.join(self.home, "cache", "libvirt", "virsh", "history")

    def tearDown(self):
        self.tmp.cleanup()

    def start(self, *args):
        s = Session(self.home, *args)
        s.read_until(r"virsh [#>] $")
        return s

    def test_banner_and_prompt(self):
        s = self.start("-c", URI)
        self.assertIn("Welcome to virsh, the virtualization interactive terminal.\n\n"
                      "Type:  'help' for help with commands\n"
                      "       'quit' to quit\n\nvirsh # ", s.text())
        s.type("quit\n")
        self.assertEqual(s.wait(), 0)

    def test_command_runs_and_prints(self):
        s = self.start("-c", URI)
        s.type("uri\n")
        s.read_until(r"virsh # uri\n" + re.escape(URI) + r"\n\nvirsh # $")
        s.type("quit\n")
        self.assertEqual(s.wait(), 0)

    def test_read_only_prompt(self):
        s = self.start("-r", "-c", URI)
        self.assertTrue(s.text().endswith("virsh > "))
        s.type("connect " + URI + "\n")
        s.read_until(r"virsh # $")
        s.type("quit\n")
        s.wait()

    def test_history_file_is_written(self):
        s = self.start("-c", URI)
        s.type("uri\n")
        s.read_until(r"\n\nvirsh # $")
        s.type("echo a b\n")
        s.read_until(r"a b\nvirsh # $")
        s.type("\n")  # empty lines are not remembered
        s.read_until(r"virsh # \nvirsh # $")
        s.type("quit\n")
        self.assertEqual(s.wait(), 0)
        with open(self.history) as f:
            self.assertEqual(f.read(), "uri\necho a b\nquit\n")

    def test_history_survives_end_of_input(self):
        s = self.start("-c", URI)
        s.type("hostname\n")
        s.read_until(r"\n\nvirsh # $")
        s.type("\x04")  # Ctrl-D
        self.assertEqual(s.wait(), 0)
        with open(self.history) as f:
            self.assertEqual(f.read(), "hostname\n")

    def test_up_key_recalls_a_line_from_the_previous_session(self):
        s = self.start("-c", URI)
        s.type("echo recalled\n")
        s.read_until(r"recalled\nvirsh # $")
        s.type("quit\n")
        s.wait()
        s = self.start("-c", URI)
        s.type(UP + UP + "\n")  # the last line of that session was "quit"
        s.read_until(r"echo recalled\nrecalled\nvirsh # $")
        s.type("quit\n")
        s.wait()

    def test_history_size_is_limited_by_virsh_histsize(self):
        s = Session(self.home, "-c", URI, env={"VIRSH_HISTSIZE": "2"})
        s.read_until(r"virsh # $")
        for word in ("one", "two", "three"):
            s.type(f"echo {word}\n")
            s.read_until(f"{word}\nvirsh # $")
        s.type("quit\n")
        s.wait()
        with open(self.history) as f:
            self.assertEqual(f.read(), "echo three\nquit\n")

    def test_tab_completes_a_command_name(self):
        s = self.start("-c", URI)
        s.type("hostn\t")
        s.read_until(r"virsh # hostname $")
        s.type("\n")
        s.read_until(r"virsh # hostname \n\S+\n\nvirsh # $")
        s.type("quit\n")
        s.wait()

    def test_tab_completes_an_option_name(self):
        s = self.start("-c", URI)
        s.type("freecell --a\t")
        s.read_until(r"virsh # freecell --all $")
        s.type("\n")
        s.read_until(r"Total:\s+\d+ KiB\n\nvirsh # $")
        s.type("quit\n")
        s.wait()

    def test_double_tab_lists_ambiguous_options(self):
        s = self.start("-c", URI)
        s.type("freecell --\t\t")
        s.read_until(r"--all\s+--cellno\s+--json\s*\nvirsh # freecell --$")
        s.type("\x15quit\n")  # Ctrl-U clears the line
        s.wait()

    def test_end_of_input_ends_the_session_with_a_newline(self):
        s = self.start("-c", URI)
        s.type("\x04")
        self.assertEqual(s.wait(), 0)
        self.assertTrue(s.text().endswith("virsh # \n") or s.text().endswith("virsh # \n\n"),
                        repr(s.text()[-40:]))

    def test_errors_do_not_end_the_session(self):
        s = self.start("-c", URI)
        s.type("bogus\n")
        s.read_until(r"error: unknown command: 'bogus'\nvirsh # $")
        s.type("freecell x\n")
        s.read_until(r"error: Numeric value 'x' for <cellno> option is malformed or out of range\n"
                     r"\nvirsh # $")
        s.type("quit\n")
        self.assertEqual(s.wait(), 0)


# An editor that breaks the domain XML on its first run and makes a valid
# change on every later one (its run count is kept in $HOME/count).
FLAKY_EDITOR = """#!/bin/sh
n=$(cat "$HOME/count" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$HOME/count"
if [ $n = 1 ]; then
  sed -i 's/<memory unit=.KiB.>/<memory unit="bogus">/' "$1"
else
  sed -i 's/<memory unit=.bogus.>/<memory unit="KiB">/' "$1"
  sed -i 's/<currentMemory unit=.KiB.>[0-9]*/<currentMemory unit="KiB">1048576/' "$1"
fi
"""


class EditRetryTest(unittest.TestCase):
    """edit on a terminal: after a failed define virsh asks whether to edit
    again; ours must show the same prompt, help and outcome as 9.0's."""

    def run_edit(self, binary, answers, *args):
        with tempfile.TemporaryDirectory(prefix="virsh-edit-") as home:
            editor = os.path.join(home, "ed.sh")
            with open(editor, "w") as f:
                f.write(FLAKY_EDITOR)
            os.chmod(editor, 0o755)
            s = Session(home, "-c", URI, "edit test" + "".join(" " + a for a in args) +
                        "; dumpxml test --inactive --xpath //currentMemory",
                        env={"EDITOR": editor}, binary=binary)
            # Each answer is typed at its own prompt: the k-th answer waits
            # for the k-th "Try again?" (virsh flushes input typed ahead).
            for k, answer in enumerate(answers):
                s.read_until(r"(?s)(Try again\? \[[a-z,?]+\]: .*){%d}$" % (k + 1))
                s.type(answer)
            status = s.wait()
            # The library's own message differs on purpose; virsh's lines
            # and the prompt must not.
            text = re.sub(r"(?s)error: .*?\n(?=Failed\. Try again)", "error: <library>\n",
                          s.text())
            # libvirt 9.0 also greets a terminal about polkit.
            text = re.sub(r"(?m)^Authorization not available\..*\n", "", text)
            with open(os.path.join(home, "count")) as f:
                runs = int(f.read())
            return text, status, runs

    def compare(self, answers, *args):
        if not os.access(REFERENCE, os.X_OK):
            self.skipTest("reference virsh not installed")
        ours = self.run_edit(OURS, answers, *args)
        ref = self.run_edit(REFERENCE, answers, *args)
        self.assertEqual(ours, ref)
        return ours

    def test_yes_edits_again_and_defines(self):
        text, status, runs = self.compare(["y"])
        self.assertEqual(runs, 2)
        self.assertIn("Domain 'test' XML configuration edited.", text)
        self.assertIn('<currentMemory unit="KiB">1048576</currentMemory>', text)

    def test_question_mark_lists_the_answers(self):
        text, _, _ = self.compare(["?", "y"])
        self.assertIn("i - turn off validation and try to redefine again", text)

    def test_no_throws_the_changes_away(self):
        text, status, runs = self.compare(["n"])
        self.assertEqual(runs, 1)
        self.assertIn('<currentMemory unit="KiB">2097152</currentMemory>', text)

    def test_force_defines_the_same_text_again(self):
        text, status, runs = self.compare(["f", "n"])
        self.assertEqual(runs, 1)

    def test_skip_validate_still_offers_i(self):
        text, _, _ = self.compare(["?", "n"], "--skip-validate")
        self.assertIn("i - turn off validation and try to redefine again", text)


def main():
    global OURS
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ours", required=True)
    ap.add_argument("-v", dest="verbose", action="store_true")
    opts = ap.parse_args()
    OURS = os.path.abspath(opts.ours)
    loader = unittest.defaultTestLoader
    suite = unittest.TestSuite([loader.loadTestsFromTestCase(InteractiveTest),
                                loader.loadTestsFromTestCase(EditRetryTest)])
    result = unittest.TextTestRunner(verbosity=2 if opts.verbose else 1).run(suite)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
