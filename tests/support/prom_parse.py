#!/usr/bin/python3
"""prom_parse.py - a strict parser of the Prometheus text format 0.0.4.

Reads an exposition on stdin and prints its samples as JSON, one object a
line: {"name", "labels", "value"}; or prints what is wrong on stderr and
exits 1. Strict where Prometheus is: metric and label names, label value
escapes (only \\\\, \\" and \\n), Go float values (+Inf, -Inf, NaN), at most
one HELP and one TYPE per family and TYPE before its samples, a family's
samples together, no sample twice; and for histograms, le on every _bucket,
buckets cumulative and in increasing le, a +Inf bucket equal to _count, and
_sum and _count for every label set.
"""
import json
import math
import re
import sys

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r"[a-zA-Z_][a-zA-Z0-9_]*"
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}


def parse_float(text):
    if text in ("+Inf", "Inf"):
        return math.inf
    if text == "-Inf":
        return -math.inf
    if text == "NaN":
        return math.nan
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text):
        raise ValueError(f"not a float: {text!r}")
    return float(text)


def parse_labels(text, pos):
    """Parses {a="b",...} from text[pos] == '{'; returns (labels, next pos)."""
    labels = {}
    pos += 1
    while True:
        if text[pos] == "}":
            return labels, pos + 1
        m = re.compile(LABEL).match(text, pos)
        if not m:
            raise ValueError(f"bad label name at {text[pos:]!r}")
        name = m.group(0)
        pos = m.end()
        if text[pos:pos + 2] != '="':
            raise ValueError(f"expected =\" after label {name}")
        pos += 2
        value = []
        while text[pos] != '"':
            if text[pos] == "\\":
                esc = text[pos + 1]
                if esc not in '\\"n':
                    raise ValueError(f"bad escape \\{esc} in label {name}")
                value.append("\n" if esc == "n" else esc)
                pos += 2
            elif text[pos] == "\n":
                raise ValueError("newline in a label value")
            else:
                value.append(text[pos])
                pos += 1
        pos += 1
        if name in labels:
            raise ValueError(f"label {name} given twice")
        labels[name] = "".join(value)
        if text[pos] == ",":
            pos += 1
        elif text[pos] != "}":
            raise ValueError(f"expected , or }} after label {name}")


def family_of(name, types):
    for suffix in ("_bucket", "_sum", "_count"):
        base = name[: -len(suffix)]
        if name.endswith(suffix) and types.get(base) in ("histogram", "summary"):
            return base
    return name


def parse(text):
    if text and not text.endswith("\n"):
        raise ValueError("the exposition does not end with a newline")
    types, helps, samples, seen, done = {}, {}, [], set(), set()
    current = None
    for number, line in enumerate(text.split("\n")[:-1], 1):
        try:
            if line == "":
                continue
            if line.startswith("#"):
                m = re.fullmatch(r"# (HELP|TYPE) (" + NAME + r") (.*)", line)
                if not m:
                    continue  # a plain comment
                kind, name, rest = m.groups()
                if kind == "TYPE":
                    if rest not in TYPES:
                        raise ValueError(f"unknown type {rest}")
                    if name in types:
                        raise ValueError(f"a second TYPE for {name}")
                    if any(family_of(s["name"], types) == name for s in samples):
                        raise ValueError(f"TYPE of {name} after its samples")
                    types[name] = rest
                else:
                    if name in helps:
                        raise ValueError(f"a second HELP for {name}")
                    helps[name] = rest
                continue
            m = re.compile(NAME).match(line)
            if not m:
                raise ValueError("a sample line does not start with a metric name")
            name, pos = m.group(0), m.end()
            labels = {}
            if pos < len(line) and line[pos] == "{":
                labels, pos = parse_labels(line, pos)
            parts = line[pos:].split(" ")
            if parts[0] != "" or len(parts) not in (2, 3):
                raise ValueError("expected one space, a value and maybe a timestamp")
            value = parse_float(parts[1])
            if len(parts) == 3 and not re.fullmatch(r"-?\d+", parts[2]):
                raise ValueError("bad timestamp")
            family = family_of(name, types)
            if family != current:
                if family in done:
                    raise ValueError(f"the samples of {family} are not together")
                if current is not None:
                    done.add(current)
                current = family
            key = (name, tuple(sorted(labels.items())))
            if key in seen:
                raise ValueError(f"sample {name}{labels} given twice")
            seen.add(key)
            if types.get(family) == "counter" and not value >= 0:
                raise ValueError(f"counter {name} is negative")
            samples.append({"name": name, "labels": labels, "value": value})
        except (ValueError, IndexError) as e:
            raise ValueError(f"line {number}: {e}: {line!r}") from None
    check_histograms(types, samples)
    return samples


def check_histograms(types, samples):
    for family, kind in types.items():
        if kind != "histogram":
            continue
        groups = {}
        for s in samples:
            if family_of(s["name"], types) != family:
                continue
            labels = dict(s["labels"])
            le = labels.pop("le", None)
            group = groups.setdefault(tuple(sorted(labels.items())), {"buckets": [], "sum": None, "count": None})
            if s["name"] == family + "_bucket":
                if le is None:
                    raise ValueError(f"{family}_bucket without le")
                group["buckets"].append((parse_float(le), s["value"]))
            elif s["name"] == family + "_sum":
                group["sum"] = s["value"]
            elif s["name"] == family + "_count":
                group["count"] = s["value"]
            else:
                raise ValueError(f"{s['name']} is not a histogram sample of {family}")
        for labels, g in groups.items():
            if g["sum"] is None or g["count"] is None:
                raise ValueError(f"{family}{dict(labels)} lacks _sum or _count")
            les = [le for le, _ in g["buckets"]]
            if les != sorted(les) or len(set(les)) != len(les) or not les or les[-1] != math.inf:
                raise ValueError(f"{family}{dict(labels)}: buckets not in increasing le ending with +Inf")
            counts = [c for _, c in g["buckets"]]
            if counts != sorted(counts):
                raise ValueError(f"{family}{dict(labels)}: buckets are not cumulative")
            if counts[-1] != g["count"]:
                raise ValueError(f"{family}{dict(labels)}: the +Inf bucket is not _count")


def main():
    try:
        samples = parse(sys.stdin.read())
    except ValueError as e:
        print(f"prom_parse: {e}", file=sys.stderr)
        sys.exit(1)
    for s in samples:
        print(json.dumps(s))


if __name__ == "__main__":
    main()
