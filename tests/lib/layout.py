#!/usr/bin/env python3
"""Layout of `smtprobe explain` in every language: every code, every seed
pair and a sample of pairs, each line at most 80 columns wide (CJK count
two), and no line, nor a column of the comparison, starting with a mark
that Chinese typesetting forbids at the start of a line.

usage: layout.py SMTPROBE TOP_SRCDIR LANG...   (SMTPROBE_LOCALEDIR in the
environment when the catalogues are not installed)"""
import os
import random
import re
import subprocess
import sys
import unicodedata

smtprobe, top, langs = sys.argv[1], sys.argv[2], sys.argv[3:]
NO_START = set("。，、；：？！）」』】〕〉》”’…—～·％．")
MAX = 80


def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def rows(name):
    with open(os.path.join(top, "data", name), encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f][1:]


basic = sorted({r[0] for r in rows("reply-codes.tsv")})
enhanced = []
for r in rows("enhanced-status-codes.tsv"):
    if r[5] == "detail":
        enhanced.append("5" + r[0][1:])
    elif r[5] == "class-detail":
        enhanced.append(r[0])
# Basic codes with the enhanced code they go with ("535 5.7.8").
pairs_one = ["%s %s" % (r[0], r[5]) for r in rows("reply-codes.tsv") if r[5] != "-"]
singles = [[c] for c in basic + enhanced + pairs_one + ["299", "471", "599", "5.9.99"]]
# Pairs a reader compares: one class against another, and within a class.
seed = [("235", "504"), ("421", "450"), ("450", "550"), ("250", "251"), ("334", "235"),
        ("220", "554"), ("221", "421"), ("500", "502"), ("502", "504"), ("504", "555"),
        ("530", "535"), ("535 5.7.8", "454 4.7.0"), ("550 5.1.1", "550 5.7.1"),
        ("451 4.7.1", "550 5.7.1"), ("552", "452"), ("252", "550"), ("521", "554"),
        ("5.7.8", "5.7.9"), ("4.2.2", "5.2.2"), ("235 2.7.0", "530 5.7.0"), ("354", "250"),
        ("5.7.1", "550")]
rnd = random.Random(13)
every = basic + enhanced
sample = [tuple(rnd.sample(every, 2)) for _ in range(25)]
cases = singles + [list(p) for p in seed + sample]

bad = 0
runs = 0
for lang in langs:
    env = dict(os.environ, LANGUAGE=lang, LC_ALL="C.UTF-8")
    for args in cases:
        out = subprocess.run([smtprobe, "explain", "--lang", lang] + args, env=env,
                             capture_output=True, text=True)
        runs += 1
        if out.returncode != 0:
            print("FAIL: %s: explain %s: exit %d %s" % (lang, " ".join(args), out.returncode,
                                                       out.stderr.strip()))
            bad += 1
            continue
        for line in out.stdout.splitlines():
            w = width(line)
            starts = [m.end() for m in re.finditer(r"(^|  ) *", line)]
            wrong = [line[i] for i in starts if i < len(line) and line[i] in NO_START]
            if w > MAX or wrong:
                print("FAIL: %s: explain %s: %s: %s" % (
                    lang, " ".join(args),
                    "%d columns" % w if w > MAX else "a line starts with %s" % wrong[0], line))
                bad += 1
print("layout: %d renderings, %d bad lines" % (runs, bad))
sys.exit(1 if bad else 0)
