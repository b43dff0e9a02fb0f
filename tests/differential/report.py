"""Reads the reports printed by state_dump (see state_dump.c for the format).

A report becomes a list of Record(section, key, value). XML values are
canonicalised so that two documents that say the same thing compare equal:
attributes sorted, whitespace-only text dropped, comments dropped, one
element per line. Shared by differential_test.py and python_peer_test.py.
"""

import collections
import difflib
import os
import re
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

Record = collections.namedtuple("Record", "section key value")

XML_OPEN = "<<<XML"
XML_CLOSE = "XML>>>"


def _canonical_lines(elem, depth, out):
    pad = "  " * depth
    attrs = "".join(" %s=%s" % (k, quoteattr(v)) for k, v in sorted(elem.attrib.items()))
    text = elem.text if elem.text and elem.text.strip() else ""
    children = list(elem)
    if not children:
        if text:
            out.append("%s<%s%s>%s</%s>" % (pad, elem.tag, attrs, escape(text), elem.tag))
        else:
            out.append("%s<%s%s/>" % (pad, elem.tag, attrs))
        return
    out.append("%s<%s%s>" % (pad, elem.tag, attrs))
    if text:
        out.append("%s  %s" % (pad, escape(text)))
    for child in children:
        _canonical_lines(child, depth + 1, out)
        if child.tail and child.tail.strip():
            out.append("%s  %s" % (pad, escape(child.tail)))
    out.append("%s</%s>" % (pad, elem.tag))


def canonical_xml(text):
    """Returns the canonical form of an XML document as a list of lines."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        return ["(unparseable XML: %s)" % e] + text.splitlines()
    out = []
    _canonical_lines(root, 0, out)
    return out


def xml_value(text):
    """The value a record holds for an XML document."""
    return "\n".join([XML_OPEN] + canonical_xml(text))


def parse(text):
    """Splits a report into records. '== ...' lines open a section."""
    records = []
    section = ""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.startswith("== "):
            section = line[3:]
            records.append(Record(section, "==", section))
            continue
        key, sep, value = line.partition(" = ")
        if not sep:
            # Not ours (a library printing to stdout): keep it visible.
            records.append(Record(section, "(stray)", line))
            continue
        if value == XML_OPEN:
            body = []
            while i < len(lines) and lines[i] != XML_CLOSE:
                body.append(lines[i])
                i += 1
            i += 1  # the closing line (or the end of a truncated report)
            value = xml_value("\n".join(body))
        records.append(Record(section, key, value))
    return records


def render(records):
    """Lines for a diff: one per fact, one per canonical XML line."""
    out = []
    for r in records:
        if r.key == "==":
            out.append("== " + r.value)
        elif r.value.startswith(XML_OPEN):
            out.extend("%s | %s" % (r.key, l) for l in r.value.split("\n")[1:])
        else:
            out.append("%s = %s" % (r.key, r.value))
    return out


def load_error_names(api_xml="/usr/share/libvirt/api/libvirt-api.xml"):
    """Maps (enum type, value) to a short name, from libvirt's API description
    (libvirt-dev), to make diffs readable. Empty when the file is absent."""
    names = {}
    if not os.path.exists(api_xml):
        return names
    for e in ET.parse(api_xml).getroot().iter("enum"):
        t = e.get("type")
        if t in ("virErrorNumber", "virErrorDomain"):
            short = re.sub(r"^VIR_(ERR|FROM)_", "", e.get("name"))
            names[(t, int(e.get("value")))] = short
    return names


def annotate(line, names):
    """'error code=55 domain=12' -> 'error code=55(OPERATION_INVALID) domain=12(TEST)'."""
    def sub(m):
        code, dom = int(m.group(1)), int(m.group(2))
        return "error code=%d(%s) domain=%d(%s)" % (
            code, names.get(("virErrorNumber", code), "?"),
            dom, names.get(("virErrorDomain", dom), "?"))
    return re.sub(r"error code=(\d+) domain=(\d+)", sub, line) if names else line


def difflib_lines(want, got):
    """A unified diff of two canonical XML values (peer first)."""
    return list(difflib.unified_diff(want.split("\n")[1:], got.split("\n")[1:],
                                     "python3-libvirt", "virtkit", n=2, lineterm=""))
