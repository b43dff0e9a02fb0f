"""Reads the declarations of virtkit's public C headers.

This is not a C parser: it understands the handful of shapes our public
headers use (enums in typedefs, struct bodies, typedefs, function-pointer
typedefs, prototypes, one exported variable and #defines), which is all the
conformance check needs. A declaration in a shape it does not know is
reported, so the check can never pass by silently skipping something.
"""

import ast
import operator
import re

from ctypes_norm import canonical_type, split_declarator

# Attribute-like macros our headers put after declarators; they carry no
# type information.
ATTRIBUTE_MACROS = ("VIR_DEPRECATED",)


class Header:
    """Everything declared in a set of header files."""

    def __init__(self):
        self.enums = {}       # constant -> (value, enum type name, expression)
        self.enum_types = {}  # enum type name -> [constants]
        self.functions = {}   # name -> (return type, [arg types])
        self.functypes = {}   # name -> (return type, [arg types])
        self.structs = {}     # tag ("_virNodeInfo") -> [Field]
        self.typedefs = {}    # name -> type text ("struct _virConnect", "virConnect *")
        self.variables = {}   # name -> type
        self.macros = {}      # name -> (params or None, body)
        self.unknown = []     # declarations we could not classify


class Field:
    def __init__(self, name, type_, nested=None):
        self.name = name
        self.type = type_        # canonical; arrays as "char model[32]"
        self.nested = nested     # [Field] of a union/struct member


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def preprocess(text, header):
    """Collects #defines and drops C++-only blocks.

    Every conditional is taken as true (enum sentinels are declared by
    libvirt's API description too) except `#ifdef __cplusplus`.
    """
    text = text.replace("\\\n", " ")
    out = []
    stack = []  # True while the enclosing block is skipped
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped.startswith("#"):
            if not any(stack):
                out.append(line)
            continue
        directive = re.match(r"#\s*(\w+)\s*(.*)", stripped)
        word, rest = directive.group(1), directive.group(2).strip()
        if word in ("if", "ifdef", "ifndef"):
            stack.append(word == "ifdef" and rest == "__cplusplus")
        elif word in ("else", "elif"):
            stack[-1] = False  # the non-C++ side of '#ifdef __cplusplus'
        elif word == "endif":
            stack.pop()
        elif word == "define" and not any(stack):
            m = re.match(r"(\w+)(\([^)]*\))?\s*(.*)", rest)
            params = m.group(2)[1:-1].replace(" ", "") if m.group(2) else None
            header.macros[m.group(1)] = (params, m.group(3).strip())
    return "\n".join(out)


def top_level_statements(text):
    """Splits on ';' outside braces; braces stay inside their statement."""
    depth, start = 0, 0
    for i, c in enumerate(text):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == ";" and depth == 0:
            yield " ".join(text[start:i].split())
            start = i + 1
    rest = " ".join(text[start:].split())
    if rest:
        yield rest


def split_commas(text):
    """Splits a parameter list on commas outside parentheses."""
    parts, depth, cur = [], 0, ""
    for c in text:
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        if c == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += c
    if cur.strip():
        parts.append(cur)
    return [p.strip() for p in parts]


def strip_attributes(text):
    for attr in ATTRIBUTE_MACROS:
        text = re.sub(r"\b%s\b" % attr, " ", text)
    return " ".join(text.split())


def param_types(params):
    params = params.strip()
    if params in ("", "void"):
        return []
    return [split_declarator(p, is_param=True)[0] for p in split_commas(params)]


_BINARY = {ast.LShift: operator.lshift, ast.RShift: operator.rshift,
           ast.BitOr: operator.or_, ast.BitAnd: operator.and_,
           ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}
_UNARY = {ast.USub: operator.neg, ast.Invert: operator.invert, ast.UAdd: operator.pos}


def evaluate(expr, names):
    """The integer value of a C constant expression over known 'names'."""
    expr = re.sub(r"\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]+\b", r"\1", expr)

    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            return node.value
        if isinstance(node, ast.Name):
            if node.id not in names:
                raise ValueError("unknown name '%s'" % node.id)
            return names[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return _BINARY[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            return _UNARY[type(node.op)](walk(node.operand))
        raise ValueError("unsupported expression")

    return walk(ast.parse(expr.strip(), mode="eval"))


def parse_enum(body, type_name, header):
    previous = -1
    known = {name: v[0] for name, v in header.enums.items()}
    members = []
    for item in split_commas(body):
        name, _, expr = item.partition("=")
        name, expr = name.strip(), expr.strip()
        value = evaluate(expr, known) if expr else previous + 1
        header.enums[name] = (value, type_name, expr or str(value))
        known[name] = value
        members.append(name)
        previous = value
    header.enum_types[type_name] = members


def parse_fields(body):
    fields = []
    for decl in top_level_statements(body):
        decl = strip_attributes(decl)
        m = re.match(r"(union|struct)\s*\{(.*)\}\s*(\w+)$", decl)
        if m:
            fields.append(Field(m.group(3), m.group(1), parse_fields(m.group(2))))
            continue
        type_, name = split_declarator(decl)
        fields.append(Field(name, type_))
    return fields


def classify(stmt, header):
    stmt = strip_attributes(stmt)
    if stmt.startswith('extern "C"') or stmt in ("", "}"):
        return
    m = re.match(r"typedef enum\s*\w*\s*\{(.*)\}\s*(\w+)$", stmt)
    if m:
        parse_enum(m.group(1), m.group(2), header)
        header.typedefs[m.group(2)] = "enum"
        return
    m = re.match(r"struct (\w+)\s*\{(.*)\}$", stmt)
    if m:
        header.structs[m.group(1)] = parse_fields(m.group(2))
        return
    m = re.match(r"typedef (.+?)\(\s*\*\s*(\w+)\s*\)\s*\((.*)\)$", stmt)
    if m:
        header.functypes[m.group(2)] = (canonical_type(m.group(1)), param_types(m.group(3)))
        header.typedefs[m.group(2)] = "function"
        return
    m = re.match(r"typedef (.+)$", stmt)
    if m:
        type_, name = split_declarator(m.group(1))
        header.typedefs[name] = type_
        return
    m = re.match(r"VIR_EXPORT_VAR (.+)$", stmt)
    if m:
        type_, name = split_declarator(m.group(1))
        header.variables[name] = type_
        return
    m = re.match(r"(.+?)\b(\w+)\s*\((.*)\)$", stmt)
    if m and "{" not in stmt:
        header.functions[m.group(2)] = (canonical_type(m.group(1)), param_types(m.group(3)))
        return
    header.unknown.append(stmt)


def read_headers(paths):
    header = Header()
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = preprocess(strip_comments(f.read()), header)
        for stmt in top_level_statements(text):
            try:
                classify(stmt, header)
            except ValueError as e:
                header.unknown.append("%s (%s)" % (stmt, e))
    return header
