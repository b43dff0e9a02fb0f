#!/usr/bin/env python3
"""Generates virtkit's RPC code from a protocol description.

    rpcgen.py --out-dir DIR proto/remote.rpc [...]

For each description NAME.rpc it writes, under DIR/rpc/:
  NAME_protocol.h/.cc         types, constants and XDR codecs
  NAME_testing.h/.cc          random values of each type (tests only)
  NAME_roundtrip_test.cc      a round-trip test per type
and, when the description declares a program:
  NAME_procedures.h/.cc       the procedure enum and table
  NAME_client.h/.cc           client stubs and the event listener
  NAME_server.h/.cc           the handler interface and call dispatcher

A file is rewritten only when its content changes, so an unchanged
description does not cause a rebuild. --list prints the outputs a
description yields (CMake uses it) without writing anything.
Uses only the Python standard library.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import rpc_cpp_calls  # noqa: E402
import rpc_cpp_types  # noqa: E402
from rpc_model import DescriptionError, parse_file  # noqa: E402


def outputs(desc):
    """{file name: text} for one description."""
    stem = desc.stem
    files = {
        stem + '_protocol.h': rpc_cpp_types.protocol_header,
        stem + '_protocol.cc': rpc_cpp_types.protocol_source,
        stem + '_testing.h': rpc_cpp_types.testing_header,
        stem + '_testing.cc': rpc_cpp_types.testing_source,
        stem + '_roundtrip_test.cc': rpc_cpp_types.roundtrip_test,
    }
    if desc.program:
        files.update({
            stem + '_procedures.h': rpc_cpp_calls.procedures_header,
            stem + '_procedures.cc': rpc_cpp_calls.procedures_source,
            stem + '_client.h': rpc_cpp_calls.client_header,
            stem + '_client.cc': rpc_cpp_calls.client_source,
            stem + '_server.h': rpc_cpp_calls.server_header,
            stem + '_server.cc': rpc_cpp_calls.server_source,
        })
    return {name: emit(desc) for name, emit in files.items()}


def write_if_changed(path, text):
    try:
        with open(path, encoding='utf-8') as f:
            if f.read() == text:
                return
    except FileNotFoundError:
        pass
    tmp = path + '.tmp'
    with open(tmp, 'w', encoding='utf-8') as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out-dir', required=True)
    parser.add_argument('--list', action='store_true')
    parser.add_argument('descriptions', nargs='+')
    options = parser.parse_args(argv)
    try:
        generated = {}
        for path in options.descriptions:
            generated.update(outputs(parse_file(path)))
    except DescriptionError as e:
        print('rpcgen: %s' % e, file=sys.stderr)
        return 1
    out_dir = os.path.join(options.out_dir, 'rpc')
    if options.list:
        print(';'.join(os.path.join(out_dir, name) for name in sorted(generated)))
        return 0
    os.makedirs(out_dir, exist_ok=True)
    for name, text in generated.items():
        write_if_changed(os.path.join(out_dir, name), text)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
