"""Corruptions of the text itself: bytes, encoding, syntax and number literals.

Non-finite and out-of-range number literals, a truncated file, bytes that are
not UTF-8, a key given twice, nesting thousands deep, a document that is not
an object, random byte edits, escaped lone surrogates. Some of them may still
be valid files (``must_fail`` False): then they must load and save soundly.
"""

from __future__ import annotations

import copy
import json

from hypothesis import strategies as st

from .contract import FIELDS, all_nodes, fmt_path, get_at, set_at, walk
from .corruption import SENTINEL, Corruption, json_text, replace_sentinel, with_literal
from .values import json_values


def nonfinite(draw, d):
    """NaN / Infinity / -Infinity (and 1e999, which reads as infinity) anywhere, extra included."""
    numeric = [p for p, v in all_nodes(d) if p and isinstance(v, (int, float)) and not isinstance(v, bool)]
    targets = numeric if numeric and draw(st.integers(0, 3)) else [p for p, _ in all_nodes(d) if p]
    parts = draw(st.sampled_from(targets))
    literal = draw(st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1E400", "-2e308"]))
    return Corruption(
        "nonfinite", f"{fmt_path(parts)} = {literal}", with_literal(draw, d, parts, literal), True
    )


def truncated(draw, d):
    text = json_text(draw, d).encode()
    cut = draw(st.integers(0, len(text) - 1))
    return Corruption("truncated", f"first {cut} of {len(text)} bytes", text[:cut], True)


INVALID_UTF8 = [
    b"\xff",
    b"\xfe",
    b"\x80",
    b"\xc3\x28",
    b"\xc0\xaf",
    b"\xe2\x82",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xf8\x88\x80\x80\x80",
    b"\xe9",
]


def not_utf8(draw, d):
    text = json_text(draw, d)
    how = draw(st.sampled_from(["insert", "insert", "utf16", "latin1"]))
    if how == "utf16":
        data = text.encode("utf-16")
    elif how == "latin1":  # a file saved by an editor in Latin-1
        d = copy.deepcopy(d)
        d["extra"] = {"town": "Ségou"}
        data = json.dumps(d, ensure_ascii=False).encode("latin-1", "replace")
    else:
        raw = text.encode()
        pos = draw(st.integers(0, len(raw)))
        data = raw[:pos] + draw(st.sampled_from(INVALID_UTF8)) + raw[pos:]
    try:
        data.decode("utf-8-sig")
        must_fail = False  # cannot happen with these bytes, but do not claim it
    except UnicodeDecodeError:
        must_fail = True
    return Corruption("not_utf8", how, data, must_fail)


def _json_with_duplicate(value, target, dup_value, position, parts=()):
    if isinstance(value, dict):
        items = [
            (k, _json_with_duplicate(v, target, dup_value, position, parts + (k,))) for k, v in value.items()
        ]
        if parts == target:
            k = items[position % len(items)][0]
            items.insert((position * 7) % (len(items) + 1), (k, json.dumps(dup_value)))
        return "{" + ", ".join(json.dumps(k) + ": " + v for k, v in items) + "}"
    if isinstance(value, list):
        return (
            "["
            + ", ".join(
                _json_with_duplicate(v, target, dup_value, position, parts + (i,))
                for i, v in enumerate(value)
            )
            + "]"
        )
    return json.dumps(value)


def duplicate_json_key(draw, d):
    objects = [p for p, v in all_nodes(d) if isinstance(v, dict) and v]
    target = draw(st.sampled_from(objects))
    obj = get_at(d, target)
    position = draw(st.integers(0, 1000))
    key = list(obj)[position % len(obj)]
    same = draw(st.booleans())
    dup_value = obj[key] if same else draw(json_values)
    text = _json_with_duplicate(d, target, dup_value, position)
    return Corruption("duplicate_json_key", f"{fmt_path(target + (key,))} twice", text.encode(), True)


def _junk(depth: int, shape: str) -> str:
    if shape == "lists":
        return "[" * depth + "]" * depth
    if shape == "dicts":
        return '{"a":' * depth + "0" + "}" * depth
    return '[{"a":' * depth + "1" + "}]" * depth


def deep_nesting(draw, d):
    depth = draw(
        st.sampled_from([2, 10, 100, 400, 490, 500, 900, 990, 1000, 1100, 3000, 100_000])
        | st.integers(2, 2000)
    )
    shape = draw(st.sampled_from(["lists", "dicts", "mixed"]))
    where = draw(st.sampled_from(["unknown_key", "replace", "in_extra"]))
    d = copy.deepcopy(d)
    if where == "unknown_key":
        objects = [n for n in walk(d) if n.role == "object" and isinstance(n.value, dict)]
        n = draw(st.sampled_from(objects))
        key = "junk"
        while key in FIELDS[n.spec]:
            key += "_"
        get_at(d, n.parts)[key] = SENTINEL
        parts, must_fail = n.parts + (key,), True
    elif where == "replace":
        nodes = [n for n in walk(d) if n.parts and n.role != "extra"]
        parts, must_fail = draw(st.sampled_from(nodes)).parts, False
    else:
        owners = [
            n
            for n in walk(d)
            if n.role == "object"
            and n.spec in ("scenario", "period", "task", "region", "capability", "resource", "rule", "panel")
        ]
        n = draw(st.sampled_from(owners))
        n.value.setdefault("extra", {})
        if not isinstance(n.value["extra"], dict):
            n.value["extra"] = {}
        parts, must_fail = n.parts + ("extra", "junk"), False
    set_at(d, parts, SENTINEL)
    data = replace_sentinel(json_text(draw, d), _junk(depth, shape)).encode()
    return Corruption(
        "deep_nesting", f"{shape} depth {depth} at {fmt_path(parts)} ({where})", data, must_fail
    )


HUGE_LITERALS = [
    "1e308",
    "-1e308",
    "1.7976931348623157e308",
    "5e-324",
    "-5e-324",
    "1e-400",
    "-0.0",
    "0e0",
    "1" + "0" * 400,
    "-1" + "0" * 400,
    "9223372036854775808",
    "18446744073709551617",
    "1" + "0" * 4300,
    "123456789012345678901234567890.5",
]


def huge_number(draw, d):
    numeric = [p for p, v in all_nodes(d) if p and isinstance(v, (int, float)) and not isinstance(v, bool)]
    if not numeric:
        numeric = [("capabilities", 0, "existing")]
    parts = draw(st.sampled_from(numeric))
    literal = draw(st.sampled_from(HUGE_LITERALS))
    return Corruption(
        "huge_number", f"{fmt_path(parts)} = {literal[:30]}", with_literal(draw, d, parts, literal), False
    )


def not_an_object(draw, d):
    text = json_text(draw, d)
    data = draw(
        st.sampled_from(
            [
                b"",
                b" ",
                b"\n\n",
                b"null",
                b"[]",
                b"{}",
                b"1",
                b'"scenario"',
                b"true",
                b"\xef\xbb\xbf",
                ("[" + text + "]").encode(),
                (text + text).encode(),
                (text + ",").encode(),
                b"{" + text.encode(),
            ]
        )
    )
    return Corruption("not_an_object", repr(data[:20]), data, True)


def byte_noise(draw, d):
    """Random edits of the bytes: the result may even be valid."""
    data = bytearray(json_text(draw, d).encode())
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "delete", "insert", "replace"]))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "delete" and data:
            del data[pos]
        elif op == "insert":
            data[pos:pos] = draw(
                st.sampled_from(
                    [
                        b"{",
                        b"}",
                        b"[",
                        b"]",
                        b",",
                        b":",
                        b'"',
                        b"\\",
                        b"0",
                        b"-",
                        b"e",
                        b"\x00",
                        b" ",
                        b"null",
                        b"\xff",
                    ]
                )
            )
        elif data:
            data[pos] = draw(st.integers(0, 255))
    return Corruption("byte_noise", "", bytes(data), False)


def lone_surrogate(draw, d):
    """A string holding an escaped lone surrogate ("\\ud800"): legal JSON, not encodable as UTF-8."""
    strings = [p for p, v in all_nodes(d) if p and isinstance(v, str)]
    parts = draw(st.sampled_from(strings))
    literal = draw(st.sampled_from(['"\\ud800"', '"x\\udc80y"', '"\\udfff\\ud800"', '"\\ud83d"']))
    return Corruption(
        "lone_surrogate", f"{fmt_path(parts)} = {literal}", with_literal(draw, d, parts, literal), False
    )
