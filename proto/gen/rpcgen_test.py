"""Tests of the description parser and the C++ generator.

Run from proto/gen: python3 -m unittest rpcgen_test
UPDATE_GOLDEN=1 rewrites testdata/*.golden from the current generator
(review the diff before committing it).
"""

import os
import tempfile
import textwrap
import unittest

import rpcgen
from rpc_model import DescriptionError, camel, min_wire_size, parse_file

HERE = os.path.dirname(os.path.abspath(__file__))
TESTDATA = os.path.join(HERE, 'testdata')


def parse_text(text, extra_files=None):
    """Parses 'text' as main.rpc in a scratch directory."""
    with tempfile.TemporaryDirectory() as directory:
        for name, content in (extra_files or {}).items():
            with open(os.path.join(directory, name), 'w') as f:
                f.write(textwrap.dedent(content))
        path = os.path.join(directory, 'main.rpc')
        with open(path, 'w') as f:
            f.write(textwrap.dedent(text))
        return parse_file(path)


class GoldenTest(unittest.TestCase):
    """The generated code for testdata/sample.rpc is exactly as reviewed."""

    def test_sample_outputs_match_golden_files(self):
        generated = rpcgen.outputs(parse_file(os.path.join(TESTDATA, 'sample.rpc')))
        for name in ('sample_protocol.h', 'sample_protocol.cc', 'sample_procedures.cc',
                     'sample_server.cc'):
            golden = os.path.join(TESTDATA, name + '.golden')
            if os.environ.get('UPDATE_GOLDEN'):
                with open(golden, 'w') as f:
                    f.write(generated[name])
            with open(golden) as f:
                self.assertEqual(generated[name], f.read(), name)


class ModelTest(unittest.TestCase):
    def test_names_follow_the_style_guide(self):
        self.assertEqual(camel('domain_get_xml_desc'), 'DomainGetXMLDesc')
        self.assertEqual(camel('domain_lookup_by_uuid'), 'DomainLookupByUUID')
        self.assertEqual(camel('call_with_fds'), 'CallWithFDs')

    def test_typedefs_are_expanded_where_used(self):
        desc = parse_text('''
            typedef short_name = string<8>
            struct s { a: short_name, b: short_name<3>, c: short_name* }
        ''')
        fields = desc.decls[-1].fields
        self.assertEqual(fields[0].type.kind, 'string')
        self.assertEqual(fields[1].type.kind, 'array')
        self.assertEqual(fields[1].type.elem.bound, 8)
        self.assertEqual(fields[2].type.kind, 'optional')

    def test_minimum_wire_sizes(self):
        desc = parse_text('''
            struct s { a: hyper, b: string<9>, c: opaque[5], d: int[3], e: int* }
        ''')
        self.assertEqual([min_wire_size(f.type) for f in desc.decls[-1].fields],
                         [8, 4, 8, 12, 4])

    def test_procedures_get_inline_structs(self):
        desc = parse_text('''
            program p = 1 version 1
            proc get = 7 [reads, high] { args { x: int } ret { y: int } }
        ''')
        proc = desc.procedures[0]
        self.assertEqual((proc.number, proc.writes, proc.priority_high), (7, False, True))
        self.assertEqual(proc.args.name, 'get_args')
        self.assertEqual(proc.ret.name, 'get_ret')

    def test_imports_make_names_visible(self):
        desc = parse_text('import "base.rpc"\nstruct s { a: base_type }\n',
                          {'base.rpc': 'struct base_type { x: int }\n'})
        self.assertEqual(desc.imports[0].stem, 'base')
        self.assertEqual(len(desc.decls), 1)


class ErrorTest(unittest.TestCase):
    def assertRefused(self, text, message, line=None, extra_files=None):
        with self.assertRaises(DescriptionError) as caught:
            parse_text(text, extra_files)
        self.assertIn(message, str(caught.exception))
        if line is not None:
            self.assertIn('main.rpc:%d:' % line, str(caught.exception))

    def test_unknown_type_names_its_line(self):
        self.assertRefused('struct s {\n  a: int\n  b: nosuch\n}\n', "unknown type 'nosuch'", 3)

    def test_types_must_be_defined_before_use(self):
        self.assertRefused('struct a { b: b }\nstruct b { x: int }\n', "unknown type 'b'", 1)

    def test_string_needs_a_bound(self):
        self.assertRefused('struct s { a: string }', "expected '<'")

    def test_bound_must_be_positive(self):
        self.assertRefused('struct s { a: opaque<0> }', 'out of range')

    def test_call_must_be_marked_reads_or_writes(self):
        self.assertRefused('program p = 1 version 1\nproc x = 1\n', 'must be marked reads or writes')

    def test_procedure_numbers_are_unique(self):
        self.assertRefused('program p = 1 version 1\nproc x = 1 [reads]\nproc y = 1 [reads]\n',
                           'procedure number 1 is used by')

    def test_lacking_procedure_cannot_reuse_a_number(self):
        self.assertRefused('program p = 1 version 1\nproc x = 1 [reads]\nlacks y = 1\n',
                           'procedure number 1 is already used')

    def test_lacking_procedure_is_answered_naming_its_api(self):
        desc = parse_text('program p = 1 version 1 [known_through = 9]\nlacks domain_get_time = 7\n')
        self.assertEqual(desc.lacking, [('domain_get_time', 7)])
        server = rpcgen.outputs(desc)['main_server.cc']
        self.assertIn('case 7: return UndescribedProcedure(procedure, "virDomainGetTime");', server)

    def test_procedures_need_a_program(self):
        self.assertRefused('proc x = 1 [reads]', 'need a program declaration')

    def test_reserved_field_names_are_refused(self):
        self.assertRefused('struct s { new: int }', "'new' is reserved in C++")

    def test_duplicate_field_is_refused(self):
        self.assertRefused('struct s { a: int, a: uint }', "field 'a' appears twice")

    def test_duplicate_type_is_refused(self):
        self.assertRefused('struct s { a: int }\nstruct s { b: int }\n', "'s' is already defined", 2)

    def test_duplicate_union_case_is_refused(self):
        self.assertRefused('union u switch (k: int) { case 1: a: int\n case 1: b: int }',
                           'case 1 appears twice')

    def test_union_discriminant_must_be_integral(self):
        self.assertRefused('union u switch (k: hyper) { case 1: a: int }', 'discriminant')

    def test_deny_ro_flags_needs_a_flags_argument(self):
        self.assertRefused('program p = 1 version 1\n'
                           'proc x = 1 [reads, deny_ro_flags = 1] { args { a: int } }',
                           'needs a "flags" argument')

    def test_unknown_attribute_is_refused(self):
        self.assertRefused('program p = 1 version 1\nproc x = 1 [reads, fast]', "unknown attribute 'fast'")

    def test_missing_import_is_refused(self):
        self.assertRefused('import "nowhere.rpc"', "cannot find imported file 'nowhere.rpc'")

    def test_stray_character_is_refused(self):
        self.assertRefused('struct s { a: int $ }', "unexpected character '$'")


class RealDescriptionsTest(unittest.TestCase):
    """proto/*.rpc parse, and keep the facts other code relies on."""

    def test_remote_program(self):
        desc = parse_file(os.path.join(HERE, '..', 'remote.rpc'))
        self.assertEqual(desc.program.number, 0x20008086)
        numbers = {p.name: p.number for p in desc.procedures}
        self.assertEqual(numbers['connect_open'], 1)
        self.assertEqual(numbers['domain_lookup_by_name'], 23)
        self.assertEqual(numbers['connect_list_all_domains'], 273)
        self.assertEqual(numbers['network_create_xml_flags'], 437)

    def test_remote_program_knows_libvirt_9_0s_procedure_range(self):
        desc = parse_file(os.path.join(HERE, '..', 'remote.rpc'))
        self.assertEqual(desc.program.known_through, 443)
        self.assertTrue(all(p.number <= 443 for p in desc.procedures))

    def test_keepalive_program(self):
        desc = parse_file(os.path.join(HERE, '..', 'keepalive.rpc'))
        self.assertEqual(desc.program.number, 0x6b656570)
        self.assertEqual([(p.name, p.number) for p in desc.procedures], [('ping', 1), ('pong', 2)])


if __name__ == '__main__':
    unittest.main()
