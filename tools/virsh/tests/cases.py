"""The command lines the differential test runs, with what may differ.

Groups added later keep their cases in cases_<group>.py (see all_cases).

C(args...) builds a case; keyword arguments:
  stdin=TEXT        fed to both programs (default: empty input)
  env={...}         extra environment
  lib=[i, ...]      stderr lines (indexes) that are the library's message
  listing=True      stdout is a command listing: cut the reference's down
                    to the commands we implement
  stdout_lines=N    compare only the first N lines of stdout
  log=True          also run with -l FILE and compare the log (the
                    "[date time virsh pid]" prefix of each line masked)
  files={name: text} written into the case's home (its working directory)
                    before each run; names ending in .sh are executable
  masks=[(re, repl)] extra volatile values to mask on both sides
  racy=True         libvirt 9.0's virsh may hang in its job watcher (a race
                    in save and dump): its run is retried after a timeout
"""

import collections
import glob
import importlib
import os

# Cases that differ because of the library, not virsh; reported, not failed.
# Each says what the library must change. Remove an entry once it matches.
KNOWN_LIBRARY_GAPS = {
    "testnode.xml: freecell":
        "virNodeGetFreeMemory returns 0 without raising an error on a node "
        "without NUMA cells; libvirt's API layer then raises "
        "VIR_ERR_INTERNAL_ERROR 'An error occurred, but the cause is unknown', "
        "which virsh prints",
}

Case = collections.namedtuple(
    "Case", "title args stdin env lib listing stdout_lines log files masks racy")

DEFAULT = "test:///default"


def C(*args, stdin=None, env=None, lib=(), listing=False, stdout_lines=None, title=None,
      log=False, files=None, masks=(), racy=False):
    args = list(args)
    title = title or " ".join(repr(a) if (" " in a or not a) else a for a in args)
    return Case(title + (" (log)" if log else ""), args, stdin, env or {}, list(lib), listing,
                stdout_lines, log, dict(files or {}), list(masks), racy)


def D(*args, **kw):
    """A case on a fresh test:///default connection."""
    return C("-c", DEFAULT, *args, **kw)


def global_options():
    return [
        C("-v"), C("--version"), C("--version=short"), C("--version=foo"), C("--ver"),
        C("-V", stdout_lines=2), C("--version=long", stdout_lines=2),
        C("-v", "-c", DEFAULT, "uri"),
        C("-h", listing=True), C("--help", listing=True), C("-h", "uri", listing=True),
        C("--bogus"), C("--bogus=1"), C("-x"), C("-x", "uri"),
        C("-c"), C("--connect"), C("-l"), C("--log"), C("-e"), C("-d"), C("-k"), C("-K"),
        C("-d", "x", "uri"), C("--debug=x"), C("-d", "4x", "uri"),
        C("-d", "9", "-c", DEFAULT, "uri"), C("--debug=9", "-c", DEFAULT, "uri"),
        C("-d", "4", "-c", DEFAULT, "uri"),
        C("-d", "0", "-c", DEFAULT, "freecell", "0"),
        C("-d", "1", "-c", DEFAULT, "echo", "--xml", "a", "b"),
        C("-d", "0", "echo a; echo b"),
        C("-d", "2", "-c", DEFAULT, "freecell 0"),
        C("-k", "abc", "uri"), C("-k", "-5", "uri"), C("-k", "99999999999", "uri"),
        C("--keepalive-interval=abc"), C("--keepalive-interval=-1"),
        C("--keepalive-count=abc"), C("-K", "-1"),
        C("-k", "0", "-c", DEFAULT, "uri"),
        C("-K", "3", "-c", DEFAULT, "uri", lib=[2]),
        C("-K", "0", "-c", DEFAULT, "uri", lib=[2]),
        C("-k", "7", "-c", DEFAULT, "uri", lib=[2]),
        C("-e", "ab"), C("--escape=ab"), C("-e", "", "uri"), C("-e", "^", "uri"),
        C("-e", "x", "-c", DEFAULT, "uri"), C("-e", "^x", "-c", DEFAULT, "uri"),
        C("--readonly=1"), C("--quiet=1"),
        C("-q", "-c", DEFAULT, "uri"), C("-q", "-c", DEFAULT, "uri;uri"),
        C("-q", "-c", DEFAULT, "freecell x"),
        C("-r", "-c", DEFAULT, "uri"), C("-c", DEFAULT, "-r", "--quiet", "uri"),
        C("--conn=test:///default", "uri"), C("--c", DEFAULT, "uri"),
        C("-t", "-c", DEFAULT, "uri"), C("-t", "-q", "-c", DEFAULT, "uri"),
        C("--ti", "-c", DEFAULT, "uri; uri"),
        C("-c", DEFAULT, "--", "uri"),
        C("-l", "/nonexistent/dir/virsh.log", "-c", DEFAULT, "uri"),
        C("-c", "test:///nonexistent", "uri", lib=[1]),
        C("-c", "test:///nonexistent", "bogus"),
        C("-c", "test:///nonexistent", "echo", "hi", lib=[1]),
        C("-c", "test:///nonexistent", lib=[1]),
        C("uri", env={"VIRSH_DEFAULT_CONNECT_URI": DEFAULT}),
        C("uri", env={"LIBVIRT_DEFAULT_URI": DEFAULT}),
        C("uri", env={"VIRSH_DEFAULT_CONNECT_URI": DEFAULT,
                      "LIBVIRT_DEFAULT_URI": "test:///nonexistent"}),
        C("echo", "hi", env={"VIRSH_DEFAULT_CONNECT_URI": "test:///nonexistent"}),
        C("uri", env={"LIBVIRT_DEFAULT_URI": "test:///nonexistent"}, lib=[1]),
        C("-c", "test:///nonexistent", "uri", env={"VIRSH_DEFAULT_CONNECT_URI": DEFAULT}, lib=[1]),
        C("echo", "hi", env={"VIRSH_DEBUG": "x"}),
        C("echo", "hi", env={"VIRSH_DEBUG": "9"}),
        C("echo hi", env={"VIRSH_DEBUG": "0"}),
        C("-d", "4", "echo", "hi", env={"VIRSH_DEBUG": "x"}),
        C("-d", "0", "-c", DEFAULT, "freecell 0; freecell x; uri", log=True),
        C("-c", DEFAULT, "freecell 0; freecell x; uri", log=True),
        C("-d", "1", "-c", DEFAULT, "echo", "--err", "a", log=True),
    ]


def host_commands():
    return [
        D("uri"), D("hostname"), D("nodeinfo"), D("sysinfo"), D("capabilities"),
        D("maxvcpus"), D("maxvcpus", "--type", "kvm"), D("maxvcpus", "kvm"),
        D("maxvcpus --type=test"), D("maxvcpus", "--type", ""), D("maxvcpus --type="),
        D("maxvcpus", "a", "b"), D("maxvcpus", "--type"),
        D("freecell"), D("freecell", "0"), D("freecell", "1"), D("freecell", "--cellno", "1"),
        D("freecell", "--cellno=1"), D("freecell", "--all"), D("freecell --all"),
        D("freecell", "9", lib=[0]), D("freecell", "--cellno", "-1", lib=[0]),
        D("freecell", "--cellno", "x"), D("freecell", "--cellno", "1x"),
        D("freecell", "--cellno", "99999999999"), D("freecell", "--cellno", " 1"),
        D("freecell", "--cellno", "+1"), D("freecell", "--cellno", "0x1"),
        D("freecell", "1", "--all"), D("freecell", "--all", "0"), D("freecell", "0", "1"),
        D("freecell", "--cellno"), D("freecell --cellno"), D("freecell", "--all", "--all"),
        D("freecell", "--all=1"), D("freecell", "--bogus"), D("freecell", "-x"),
        D("freecell", "---x"), D("freecell", "--1"), D("freecell", "0", "--cellno", "1"),
        D("freecell", "--cellno", "1", "0"), D("freecell", "--", "0"),
        D("freecell", "--", "--all"),
        D("version"), D("version", "--daemon"), D("version", "--bogus"),
        D("uri", "extra"), D("uri --bogus"), D("uri", "--help"), D("nodeinfo --help"),
        D("freecell", "--help", "--cellno", "x"), D("freecell --cellno x --help"),
        D("uri --help=x"),
    ]


def shell_commands():
    return [
        C("help", listing=True), C("help", "host", listing=True), C("help", "virsh"),
        C("help", "Host"), C("help", "bogus"), C("help", "a", "b"),
        C("help", "--command", "uri"), C("help", "--command=uri"), C("help", "uri", "--bogus"),
        C("help", "--bogus", "uri"), C("help", "", listing=True), C("help --command=", listing=True),
        C("help", "help", "help"), C("help", "--command"),
        C("help", "--command", "a", "--command", "b"),
        C('help "Host and Hypervisor"', listing=True), C("help", "--help"), C("help --help=1"),
        C("-c", DEFAULT, "help uri; uri"),
    ] + [C("help", name) for name in (
        "help", "cd", "echo", "pwd", "quit", "exit", "connect", "capabilities", "nodeinfo",
        "freecell", "maxvcpus", "hostname", "uri", "version", "sysinfo")] + [
        C(name, "--help") for name in ("echo", "connect", "freecell", "version")] + [
        C("echo"), C("echo", "a", "b"), C("echo", "--shell", "a b", "c'd", "x", "", "$y"),
        C("echo", "--xml", "<a&b>\"'"), C("echo", "--xml", "a\x01b\tc\nd"),
        C("echo", "--xml", "--shell", "<a b>"), C("echo", "--shell", "--split", "a"),
        C("echo", "--xml", "--split", "a"), C("echo", "--shell", "--xml", "--split", "a"),
        C("echo", "--split", "a,b,,c", "d"), C("echo", "--split", "a", "b"),
        C("echo", "--err", "hello"), C("echo", "--err", "a", "b"),
        C("echo", "--err", "--split", "a,b"), C("echo", "--err", "--xml", "<"),
        C("echo", "--shell", "--err", "a b"), C("echo", "--str", "x"), C("echo", "--str"),
        C("echo", "--hi"), C("echo", "--hi", "x"), C("echo", "--hi=x"),
        C("echo", "--str=a", "--str=b", "c"), C("echo", "--string", "a"),
        C("echo", "--string=a", "b"), C("echo", "-a"), C("echo", "--"), C("echo", "--", "--shell", "x"),
        C("echo", "--", "--", "a"), C("echo", "a", "--xml"), C("echo", "#a", "b"),
        C("echo", "--shell", "$'x'"), C("echo", "--shell", "a!b", "a=b", "a%b", "a,b", "~", "@"),
        C("pwd"), C("pwd", "--x"), C("pwd", "x"), C("cd", "/"), C("cd"),
        C("quit"), C("exit"), C("quit", "x"), C("-c", DEFAULT, "quit; uri"),
        C("-c", DEFAULT, "uri; exit; uri"),
        D("connect", "test:///default"), D("connect test:///default; uri"),
        D("connect; uri"), D("connect --name test:///default --readonly; uri"),
        C("-r", "connect test:///default; uri"), D("connect a b"),
        D("connect test:///nonexistent; uri", lib=[1]), D("connect", "--bogus"),
        D("connect --name"),
    ]


def grammar():
    return [
        D("bogus"), D("bogus; uri"), D("uri; bogus"), D("uri;uri"), D("uri;"), D(";uri"),
        D(";"), D(""), D(" "), D("uri", ";", "uri"), D("uri", "; uri"),
        D("uri; freecell 9; uri", lib=[0]), D("freecell 0 1; uri"), D("uri; freecell 0 1"),
        D("freecell x; uri"), D("uri; freecell x"),
        D('echo "a'), D("echo 'a"), D("echo a\\"), D('echo a"b"c'), D("echo a'b'c"),
        D('echo "a\\"b"'), D("echo 'a\\b'"), D('echo "a\\b"'), D("echo a\\\\b"),
        D("#uri"), D("uri #x"), D("echo a#b"), D("echo #a"), D('echo "#a"'), D("echo a\tb"),
        D("echo #a; uri"), D("uri\nuri"), D("echo a\nb"), D("echo a;;uri"), D("echo x\\#y"),
        D("echo \\#y"), D("echo '#y'"), D("echo #a\nuri"), D("echo a\\ b"), D('echo "a;b"'),
        D('echo "a b'), D("echo a\rb"), D('echo "a\nb"'), D("echo 'a\nb'"), D("\nuri"),
        D("echo a\\\nb"), D("echo x;#c\nuri"), D("echo #c\\\nuri"), D('echo "a\\nb"'),
        D("echo 'a;b'"), D("echo a\\;b"), D("echo a;b"),
        D("uri", "--"), D("uri --"), D("uri", "--", "x"), D("--"), D("--uri"),
        D("URI"), D("uri\\"),
    ]


def scripts():
    """Commands read from stdin, which virsh treats as an interactive session."""
    return [
        D(stdin="uri\nuri\n", title="stdin: uri twice"),
        D(stdin="uri\nquit\nuri\n", title="stdin: quit stops"),
        D(stdin="freecell x\n", title="stdin: error keeps going, status 0"),
        D(stdin="freecell 0 1\nuri\n", title="stdin: parse error"),
        D(stdin="  \n\n# comment\nuri # c\n", title="stdin: blank and comment lines"),
        C(stdin="echo \"a b\" 'c d' e\\ f\n", title="stdin: quoting"),
        D(stdin="uri; quit; uri\nuri\n", title="stdin: quit inside a line"),
        C("-q", "-c", DEFAULT, stdin="quit\n", title="stdin: quiet"),
        C("-r", "-c", DEFAULT, stdin="uri\nconnect --readonly\nuri\nconnect test:///default\nuri\n",
          title="stdin: read-only prompt"),
        C(stdin='echo "a\nb"\n', title="stdin: quote across lines"),
        C(stdin="echo a\\\nb\n", title="stdin: backslash at end of line"),
        C(stdin="cd /nonexistent\ncd /usr\npwd\ncd\npwd\ncd \"\"\npwd\n", title="stdin: cd and pwd"),
        C(stdin="cd /etc/passwd\n", title="stdin: cd to a file"),
        D(stdin="", title="stdin: empty"),
        C("-q", stdin="", title="stdin: empty, quiet, no connection"),
        C("-c", "test:///nonexistent", stdin="uri\n", lib=[1], title="stdin: bad -c"),
        C(stdin="connect test:///default\nuri\nhostname\n", title="stdin: connect later"),
        D(stdin="uri\n", env={"VIRSH_HISTSIZE": "x"}, title="stdin: bad VIRSH_HISTSIZE"),
        D(stdin="uri\n", env={"VIRSH_HISTSIZE": "-1"}, title="stdin: negative VIRSH_HISTSIZE"),
        C(stdin="uri\n", lib=[1], title="stdin: no default hypervisor"),
        D(stdin="help uri\nfreecell --all\nversion\n", title="stdin: host commands"),
    ]


def fixture_node(uri):
    if not uri:
        return []
    def F(*args, **kw):
        kw.setdefault("title", "testnode.xml: " + " ".join(args))
        return C("-c", uri, *args, **kw)
    return [
        F("uri"), F("hostname"), F("nodeinfo"), F("freecell"), F("freecell", "--all"),
        F("freecell", "0", lib=[0]), F("maxvcpus"), F("version"), F("sysinfo", lib=[0]),
        F("capabilities"), F("version", "--daemon"),
    ]


def all_cases(fixture_uri):
    """Every case: this file's, then those of each cases_<group>.py next to
    it (a module with `def cases(fixture_uri)` returning a list built with
    C and D), so that each command group keeps its cases in its own file."""
    found = (global_options() + host_commands() + shell_commands() + grammar() + scripts() +
             fixture_node(fixture_uri))
    here = os.path.dirname(os.path.abspath(__file__))
    for path in sorted(glob.glob(os.path.join(here, "cases_*.py"))):
        module = importlib.import_module(os.path.splitext(os.path.basename(path))[0])
        found += module.cases(fixture_uri)
    return found
