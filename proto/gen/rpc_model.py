"""Parser and model of virtkit's protocol descriptions (proto/*.rpc).

The language is described in proto/README.md. parse_file() reads one
description and the ones it imports, resolves every name (typedefs are
expanded where they are used, so the model only holds wire types), and
checks the rules the code generators rely on. Errors are raised as
DescriptionError with the file and line that caused them.
"""

import os
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

# XDR primitive types: wire size in bytes and C++ type. char/uchar/short/
# ushort are rpcgen's: each still fills a whole 4-byte word.
PRIMITIVES = {
    'int': (4, 'int32_t'),
    'uint': (4, 'uint32_t'),
    'hyper': (8, 'int64_t'),
    'uhyper': (8, 'uint64_t'),
    'bool': (4, 'bool'),
    'float': (4, 'float'),
    'double': (8, 'double'),
    'char': (4, 'char'),
    'uchar': (4, 'uint8_t'),
    'short': (4, 'int16_t'),
    'ushort': (4, 'uint16_t'),
}

KEYWORDS = {'import', 'const', 'enum', 'typedef', 'struct', 'union', 'switch',
            'case', 'default', 'void', 'program', 'version', 'proc', 'event', 'lacks',
            'args', 'ret', 'string', 'opaque'} | set(PRIMITIVES)

# Names that cannot be C++ members or types.
CPP_RESERVED = {
    'alignas', 'alignof', 'and', 'auto', 'bool', 'break', 'case', 'catch',
    'char', 'class', 'const', 'constexpr', 'continue', 'default', 'delete',
    'do', 'double', 'else', 'enum', 'explicit', 'export', 'extern', 'false',
    'float', 'for', 'friend', 'goto', 'if', 'inline', 'int', 'long',
    'mutable', 'namespace', 'new', 'not', 'operator', 'or', 'private',
    'protected', 'public', 'register', 'return', 'short', 'signed', 'sizeof',
    'static', 'struct', 'switch', 'template', 'this', 'throw', 'true', 'try',
    'typedef', 'typename', 'union', 'unsigned', 'using', 'virtual', 'void',
    'volatile', 'while', 'xor'}

UINT32_MAX = 0xFFFFFFFF


class DescriptionError(Exception):
    """A mistake in a description, located at file:line."""

    def __init__(self, where, message):
        super().__init__('%s: %s' % (where, message))


# ---- Model -----------------------------------------------------------------

@dataclass
class Type:
    """A wire type. kind is one of: prim, string, opaque, array, optional,
    named. 'bound' is the maximum (variable length) or the size (fixed)."""
    kind: str
    prim: str = ''
    fixed: bool = False
    bound: int = 0
    bound_name: str = ''  # the constant the bound was written as, if any
    elem: Optional['Type'] = None
    decl: object = None  # Enum, Struct or Union for kind == 'named'
    alias: str = ''  # the typedef this type was written as, if any


@dataclass
class Field:
    name: str
    type: Type


@dataclass
class Const:
    name: str
    value: int
    file: str
    line: int


@dataclass
class Enum:
    name: str
    members: List[Tuple[str, int]]
    file: str
    line: int


@dataclass
class Struct:
    name: str
    fields: List[Field]
    file: str
    line: int


@dataclass
class Arm:
    values: List[int]  # empty for the default arm
    field: Optional[Field]  # None for a void arm
    value_names: List[str] = field(default_factory=list)  # constants the values were written as


@dataclass
class Union:
    name: str
    discriminant: Field
    arms: List[Arm]
    has_default: bool
    file: str
    line: int


@dataclass
class Typedef:
    name: str
    type: Type
    file: str
    line: int


@dataclass
class Procedure:
    name: str
    number: int
    kind: str  # 'call' or 'event'
    writes: bool = False
    priority_high: bool = False
    deny_ro_flags: int = 0
    stream: str = ''  # '', 'read' or 'write'
    args: Optional[Struct] = None
    ret: Optional[Struct] = None
    msg: Optional[Struct] = None
    line: int = 0


@dataclass
class Program:
    name: str
    number: int
    version: int
    # Procedures 1..known_through exist in libvirt; one we do not describe
    # is answered VIR_ERR_NO_SUPPORT rather than "unknown procedure".
    known_through: int = 0


@dataclass
class Description:
    path: str
    stem: str  # file name without .rpc: names the generated files
    imports: List['Description'] = field(default_factory=list)
    decls: List[object] = field(default_factory=list)  # in file order
    program: Optional[Program] = None
    procedures: List[Procedure] = field(default_factory=list)
    # (name, number) of libvirt procedures whose API virtkit lacks: answered
    # VIR_ERR_NO_SUPPORT naming that API.
    lacking: List[tuple] = field(default_factory=list)


# ---- Tokens ----------------------------------------------------------------

_TOKEN_RE = re.compile(r'''
    (?P<space>[ \t\r]+) |
    (?P<newline>\n) |
    (?P<comment>\#[^\n]*) |
    (?P<number>-?(0[xX][0-9a-fA-F]+|[0-9]+)) |
    (?P<ident>[A-Za-z_][A-Za-z0-9_]*) |
    (?P<string>"[^"\n]*") |
    (?P<punct>[{}()\[\]<>=:,;*])
''', re.VERBOSE)


@dataclass
class Token:
    kind: str  # number, ident, string, punct, eof
    text: str
    line: int


def tokenize(text, path):
    tokens = []
    line = 1
    pos = 0
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if not m:
            raise DescriptionError('%s:%d' % (path, line),
                                   'unexpected character %r' % text[pos])
        kind = m.lastgroup
        if kind == 'newline':
            line += 1
        elif kind not in ('space', 'comment'):
            tokens.append(Token(kind, m.group(), line))
        pos = m.end()
    tokens.append(Token('eof', '', line))
    return tokens


# ---- Parser ----------------------------------------------------------------

class _Scope:
    """Every name visible to a description: its own and its imports'."""

    def __init__(self):
        self.consts: Dict[str, Const] = {}
        self.types: Dict[str, object] = {}  # Enum, Struct, Union, Typedef
        self.enum_members: Dict[str, Tuple[Enum, int]] = {}


class _Parser:
    def __init__(self, path, scope, desc):
        self.path = path
        self.scope = scope
        self.desc = desc
        with open(path, encoding='utf-8') as f:
            self.tokens = tokenize(f.read(), path)
        self.pos = 0

    # -- token helpers
    def peek(self, offset=0):
        return self.tokens[min(self.pos + offset, len(self.tokens) - 1)]

    def where(self, token=None):
        return '%s:%d' % (self.path, (token or self.peek()).line)

    def error(self, message, token=None):
        raise DescriptionError(self.where(token), message)

    def next(self):
        token = self.peek()
        self.pos += 1
        return token

    def accept(self, text):
        if self.peek().text == text and self.peek().kind in ('punct', 'ident'):
            return self.next()
        return None

    def expect(self, text):
        token = self.next()
        if token.text != text:
            self.error('expected %r, found %r' % (text, token.text or 'end of file'), token)
        return token

    def ident(self, what):
        token = self.next()
        if token.kind != 'ident' or token.text in KEYWORDS:
            self.error('expected %s, found %r' % (what, token.text or 'end of file'), token)
        return token.text

    def field_name(self, what):
        """Any identifier: a field's position makes keywords unambiguous."""
        token = self.next()
        if token.kind != 'ident':
            self.error('expected %s, found %r' % (what, token.text or 'end of file'), token)
        return token.text

    def number(self, what):
        """A literal or a constant's name."""
        token = self.next()
        if token.kind == 'number':
            return int(token.text, 0)
        if token.kind == 'ident' and token.text in self.scope.consts:
            return self.scope.consts[token.text].value
        if token.kind == 'ident' and token.text in self.scope.enum_members:
            return self.scope.enum_members[token.text][1]
        self.error('expected %s (a number or a defined constant), found %r'
                   % (what, token.text or 'end of file'), token)

    def separator(self):
        while self.accept(',') or self.accept(';'):
            pass

    # -- declarations
    def define_type(self, decl, token):
        if decl.name in self.scope.types or decl.name in self.scope.consts:
            self.error('%r is already defined' % decl.name, token)
        if decl.name in CPP_RESERVED:
            self.error('%r cannot be a type name' % decl.name, token)
        self.scope.types[decl.name] = decl
        self.desc.decls.append(decl)

    def parse(self):
        while self.peek().kind != 'eof':
            token = self.peek()
            keyword = token.text
            handler = {
                'import': self.parse_import, 'const': self.parse_const,
                'enum': self.parse_enum, 'typedef': self.parse_typedef,
                'struct': self.parse_struct, 'union': self.parse_union,
                'program': self.parse_program, 'proc': self.parse_proc,
                'event': self.parse_event, 'lacks': self.parse_lacks,
            }.get(keyword if token.kind == 'ident' else '')
            if not handler:
                self.error('expected a declaration, found %r' % keyword)
            self.next()
            handler(token)

    def parse_import(self, start):
        token = self.next()
        if token.kind != 'string':
            self.error('expected a quoted file name after import', token)
        if self.desc.decls or self.desc.program:
            self.error('imports must come before any declaration', token)
        name = token.text.strip('"')
        path = os.path.join(os.path.dirname(self.path), name)
        if not os.path.exists(path):
            self.error('cannot find imported file %r' % name, token)
        imported = Description(path=path, stem=_stem(path))
        _Parser(path, self.scope, imported).parse()
        if imported.program:
            self.error('%r defines a program and cannot be imported' % name, token)
        self.desc.imports.append(imported)

    def parse_const(self, start):
        name = self.ident('a constant name')
        self.expect('=')
        value = self.number('the constant value')
        if name in self.scope.consts or name in self.scope.types:
            self.error('%r is already defined' % name, start)
        const = Const(name, value, self.path, start.line)
        self.scope.consts[name] = const
        self.desc.decls.append(const)

    def parse_enum(self, start):
        name = self.ident('an enum name')
        self.expect('{')
        members = []
        enum = Enum(name, members, self.path, start.line)
        while not self.accept('}'):
            token = self.peek()
            member = self.ident('an enum member')
            self.expect('=')
            value = self.number('the member value')
            if member in self.scope.enum_members or member in self.scope.consts:
                self.error('%r is already defined' % member, token)
            if any(v == value for _, v in members):
                self.error('value %d appears twice in enum %r' % (value, name), token)
            members.append((member, value))
            self.scope.enum_members[member] = (enum, value)
            self.separator()
        if not members:
            self.error('enum %r has no members' % name, start)
        self.define_type(enum, start)

    def parse_typedef(self, start):
        name = self.ident('a typedef name')
        self.expect('=')
        t = self.parse_type()
        self.define_type(Typedef(name, t, self.path, start.line), start)

    def parse_fields(self, owner):
        """'{' (name ':' type)* '}' -> [Field]"""
        self.expect('{')
        fields = []
        while not self.accept('}'):
            token = self.peek()
            name = self.field_name('a field name')
            if name in CPP_RESERVED:
                self.error('field name %r is reserved in C++; choose another' % name, token)
            if any(f.name == name for f in fields):
                self.error('field %r appears twice in %r' % (name, owner), token)
            self.expect(':')
            fields.append(Field(name, self.parse_type()))
            self.separator()
        return fields

    def parse_struct(self, start):
        name = self.ident('a struct name')
        self.define_type(Struct(name, self.parse_fields(name), self.path, start.line), start)

    def parse_union(self, start):
        name = self.ident('a union name')
        self.expect('switch')
        self.expect('(')
        disc_name = self.field_name('the discriminant name')
        self.expect(':')
        disc_token = self.peek()
        disc_type = self.parse_type()
        if not (disc_type.kind == 'prim' and disc_type.prim in ('int', 'uint')) and \
                not (disc_type.kind == 'named' and isinstance(disc_type.decl, Enum)):
            self.error('a union discriminant must be int, uint or an enum', disc_token)
        self.expect(')')
        self.expect('{')
        arms, seen, has_default = [], set(), False
        while not self.accept('}'):
            token = self.next()
            if token.text == 'case':
                written = self.peek().text
                value = self.number('a case value')
                if value in seen:
                    self.error('case %d appears twice in union %r' % (value, name), token)
                seen.add(value)
                values = [value]
                names = [written] if written in self.scope.consts else ['']
            elif token.text == 'default':
                if has_default:
                    self.error('union %r has two default arms' % name, token)
                has_default, values, names = True, [], []
            else:
                self.error('expected case or default, found %r' % token.text, token)
            self.expect(':')
            if self.accept('void'):
                arm_field = None
            else:
                field_token = self.peek()
                arm_name = self.field_name('an arm name')
                if arm_name in CPP_RESERVED or arm_name == disc_name or any(
                        a.field and a.field.name == arm_name for a in arms):
                    self.error('arm name %r is reserved or used twice' % arm_name, field_token)
                self.expect(':')
                arm_field = Field(arm_name, self.parse_type())
            arms.append(Arm(values, arm_field, names))
            self.separator()
        if not seen:
            self.error('union %r has no cases' % name, start)
        self.define_type(Union(name, Field(disc_name, disc_type), arms, has_default,
                               self.path, start.line), start)

    def parse_program(self, start):
        if self.desc.program:
            self.error('a description holds one program', start)
        name = self.ident('a program name')
        self.expect('=')
        number = self.number('the program number')
        self.expect('version')
        version = self.number('the program version')
        self.desc.program = Program(name, number, version)
        if self.accept('['):
            attr = self.next()
            if attr.text != 'known_through':
                self.error('unknown program attribute %r' % attr.text, attr)
            self.expect('=')
            self.desc.program.known_through = self.number('the last procedure number')
            self.expect(']')

    def parse_attrs(self, proc, token):
        if not self.accept('['):
            return
        while not self.accept(']'):
            attr = self.next()
            if attr.text == 'reads' or attr.text == 'writes':
                if proc.kind != 'call':
                    self.error('events take no reads/writes mark', attr)
                proc.writes = attr.text == 'writes'
                proc.marked = True
            elif attr.text == 'high':
                proc.priority_high = True
            elif attr.text == 'low':
                proc.priority_high = False
            elif attr.text == 'deny_ro_flags':
                self.expect('=')
                proc.deny_ro_flags = self.number('a flag mask')
            elif attr.text == 'stream':
                self.expect('=')
                direction = self.next()
                if direction.text not in ('read', 'write'):
                    self.error('stream must be read or write', direction)
                proc.stream = direction.text
            else:
                self.error('unknown attribute %r' % attr.text, attr)
            self.separator()

    def new_procedure(self, start, kind):
        name = self.ident('a procedure name')
        if not self.desc.program:
            self.error('procedures need a program declaration first', start)
        self.expect('=')
        number = self.number('the procedure number')
        for other in self.desc.procedures:
            if other.number == number:
                self.error('procedure number %d is used by %r too' % (number, other.name), start)
            if other.name == name:
                self.error('procedure %r is defined twice' % name, start)
        proc = Procedure(name, number, kind, line=start.line)
        proc.marked = False
        self.parse_attrs(proc, start)
        return proc

    def inline_struct(self, proc, suffix, start):
        name = '%s_%s' % (proc.name, suffix)
        struct = Struct(name, self.parse_fields(name), self.path, start.line)
        self.define_type(struct, start)
        return struct

    def parse_proc(self, start):
        proc = self.new_procedure(start, 'call')
        if not proc.marked:
            self.error('procedure %r must be marked reads or writes' % proc.name, start)
        if self.accept('{'):
            while not self.accept('}'):
                part = self.next()
                if part.text == 'args' and not proc.args:
                    proc.args = self.inline_struct(proc, 'args', part)
                elif part.text == 'ret' and not proc.ret:
                    proc.ret = self.inline_struct(proc, 'ret', part)
                else:
                    self.error('expected args or ret (each once), found %r' % part.text, part)
        if proc.deny_ro_flags and not (proc.args and any(
                f.name == 'flags' for f in proc.args.fields)):
            self.error('deny_ro_flags needs a "flags" argument', start)
        if proc.deny_ro_flags and proc.writes:
            self.error('deny_ro_flags is for reads procedures', start)
        self.desc.procedures.append(proc)

    def parse_lacks(self, start):
        if not self.desc.program:
            self.error('lacks needs a program first', start)
        name = self.ident('a procedure name')
        self.expect('=')
        number = self.number('the procedure number')
        taken = {p.number for p in self.desc.procedures} | {n for _, n in self.desc.lacking}
        if number in taken:
            self.error('procedure number %d is already used' % number, start)
        self.desc.lacking.append((name, number))

    def parse_event(self, start):
        proc = self.new_procedure(start, 'event')
        if self.peek().text == '{':
            proc.msg = self.inline_struct(proc, 'msg', start)
        self.desc.procedures.append(proc)

    # -- types
    def parse_type(self):
        token = self.next()
        text = token.text
        if token.kind != 'ident':
            self.error('expected a type, found %r' % (text or 'end of file'), token)
        if text in PRIMITIVES:
            t = Type('prim', prim=text)
        elif text == 'string':
            self.expect('<')
            t = Type('string')
            self.parse_bound(t, '>')
        elif text == 'opaque':
            t = Type('opaque')
            close = {'<': '>', '[': ']'}.get(self.next().text)
            if not close:
                self.error('opaque needs <max> or [size]', token)
            t.fixed = close == ']'
            self.parse_bound(t, close)
        elif text in self.scope.types:
            decl = self.scope.types[text]
            if isinstance(decl, Typedef):
                t = Type(**{**decl.type.__dict__, 'alias': text})
            else:
                t = Type('named', decl=decl)
        else:
            self.error('unknown type %r (types must be defined before use)' % text, token)
        if self.accept('<'):
            t = self.parse_bound(Type('array', elem=t), '>')
        elif self.accept('['):
            t = self.parse_bound(Type('array', elem=t, fixed=True), ']')
        if self.accept('*'):
            t = Type('optional', elem=t)
        return t

    def parse_bound(self, t, close):
        token = self.peek()
        t.bound_name = token.text if token.text in self.scope.consts else ''
        t.bound = self.number('a size')
        if not 0 < t.bound <= UINT32_MAX:
            self.error('size %d is out of range' % t.bound, token)
        self.expect(close)
        return t


def _stem(path):
    return os.path.splitext(os.path.basename(path))[0]


def parse_file(path):
    """Parses 'path' and its imports; returns its Description."""
    desc = Description(path=path, stem=_stem(path))
    _Parser(path, _Scope(), desc).parse()
    return desc


# ---- Facts the generators share ---------------------------------------------

def min_wire_size(t):
    """The fewest bytes a value of type 't' can take on the wire."""
    if t.kind == 'prim':
        return PRIMITIVES[t.prim][0]
    if t.kind == 'string' or t.kind == 'optional':
        return 4
    if t.kind == 'opaque':
        return (t.bound + 3) // 4 * 4 if t.fixed else 4
    if t.kind == 'array':
        return t.bound * min_wire_size(t.elem) if t.fixed else 4
    decl = t.decl
    if isinstance(decl, Enum):
        return 4
    if isinstance(decl, Struct):
        return sum(min_wire_size(f.type) for f in decl.fields)
    return 4 + min((min_wire_size(a.field.type) if a.field else 0) for a in decl.arms)


# Words spelled as libvirt's C API and STYLE.md spell them inside names.
ACRONYMS = {'xml': 'XML', 'uuid': 'UUID', 'uri': 'URI', 'cpu': 'CPU', 'id': 'ID',
            'os': 'OS', 'nmi': 'NMI', 'fds': 'FDs', 'dhcp': 'DHCP', 'pm': 'PM',
            'rpc': 'RPC', 'xdr': 'XDR', 'ok': 'OK', 'nwfilter': 'NWFilter',
            'nwfilters': 'NWFilters', 'fstrim': 'FSTrim', 'fsfreeze': 'FSFreeze',
            'fsthaw': 'FSThaw', 'fsinfo': 'FSInfo', 'wwn': 'WWN', 'mac': 'MAC',
            'iothread': 'IOThread', 'iothreads': 'IOThreads', 'sev': 'SEV',
            'scsi': 'SCSI', 'ssh': 'SSH', 'fd': 'FD'}


def camel(snake):
    """domain_get_xml_desc -> DomainGetXMLDesc."""
    return ''.join(ACRONYMS.get(p.lower(), p[:1].upper() + p[1:].lower())
                   for p in snake.split('_') if p)


def constant_name(snake):
    """DOMAIN_LIST_MAX -> kDomainListMax."""
    return 'k' + camel(snake)
