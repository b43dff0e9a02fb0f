"""One spelling for each C type, so ours and libvirt's compare as text.

"unsigned long int" and "unsigned long" are one type, as are
"long long int" and "long long"; "char**const" is "char ** const". A
top-level const on a parameter does not change a function's type, so
parameter types drop it.
"""

import re

_TAG_KEYWORDS = ("struct", "union", "enum")
_TYPE_KEYWORDS = {"void", "char", "short", "int", "long", "float", "double", "signed",
                  "unsigned", "const", "volatile", "_Bool"} | set(_TAG_KEYWORDS)
_INTEGER_WORDS = {"signed", "unsigned", "short", "long", "int", "char"}


def _tokens(text):
    return re.findall(r"\w+|\*|\[[^\]]*\]|\S", text)


def _canonical_base(words):
    const = "const" in words
    words = [w for w in words if w not in ("const", "volatile")]
    integer = [w for w in words if w in _INTEGER_WORDS]
    other = [w for w in words if w not in _INTEGER_WORDS]
    if integer:
        if "char" in integer:
            base = " ".join([w for w in integer if w in ("signed", "unsigned")] + ["char"])
        else:
            longs = integer.count("long")
            base = "short" if "short" in integer else ["int", "long", "long long"][min(longs, 2)]
            if "unsigned" in integer:
                base = "unsigned " + base
        other.append(base)
    return const, " ".join(other)


def _format(const, base, pointers, dims):
    text = ("const " if const else "") + base
    for ptr_const in pointers:
        text += "*" if text.endswith("*") else " *"
        if ptr_const:
            text += " const"
    if dims:
        text += " " + "".join(dims)
    return text


def split_declarator(decl, is_param=False, has_name=True):
    """('canonical type', 'name') of 'unsigned long *libVer'; name may be ''.

    Arrays keep their size in the type: 'char model[32]' gives
    ('char [32]', 'model').
    """
    tokens = _tokens(decl)
    dims = []
    while tokens and tokens[-1].startswith("["):
        dims.insert(0, tokens.pop().replace(" ", ""))
    name = ""
    if has_name and tokens and re.fullmatch(r"\w+", tokens[-1]) and tokens[-1] not in _TYPE_KEYWORDS:
        before = tokens[:-1]
        words_before = [t for t in before if re.fullmatch(r"\w+", t)]
        follows_tag = len(before) >= 1 and before[-1] in _TAG_KEYWORDS
        if ("*" in before or words_before) and not follows_tag:
            if "*" in before or any(w not in ("const", "volatile") for w in words_before):
                name = tokens.pop()
    base_words, pointers = [], []
    for t in tokens:
        if t == "*":
            pointers.append(False)
        elif t in ("const", "volatile") and pointers:
            pointers[-1] = pointers[-1] or t == "const"
        else:
            base_words.append(t)
    const, base = _canonical_base(base_words)
    if is_param:
        if dims:  # an array parameter is a pointer
            pointers.append(False)
            dims = []
        if pointers:
            pointers[-1] = False
        else:
            const = False
    return _format(const, base, pointers, dims), name


def canonical_type(text, is_param=False):
    """The canonical spelling of a type written without a declarator name."""
    return split_declarator(text, is_param, has_name=False)[0]
