#!/usr/bin/env python3
"""Python baselines for scripts/bench: what a user would write today.

Usage: bench_peers.py aho FORMS.txt DIR      pyahocorasick + Counter, leftmost-longest
       bench_peers.py jieba FORMS.txt DIR MB  jieba segment-then-count on the first MB of text

Reads .txt files and the `text` field of .jsonl files under DIR, and prints
`count form` lines like `uniq -c`.
"""
import collections
import json
import os
import sys


def texts(folder):
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            if name.endswith(".txt"):
                with open(path, encoding="utf-8-sig", errors="replace") as f:
                    yield f.read()
            elif name.endswith(".jsonl"):
                with open(path, encoding="utf-8", errors="replace") as f:
                    for line in f:
                        try:
                            yield json.loads(line).get("text", "")
                        except ValueError:
                            pass


def main():
    mode, forms_path, folder = sys.argv[1:4]
    forms = [l.strip() for l in open(forms_path, encoding="utf-8") if l.strip()]
    counts = collections.Counter()
    if mode == "aho":
        import ahocorasick
        automaton = ahocorasick.Automaton()
        for form in forms:
            automaton.add_word(form.lower(), form)
        automaton.make_automaton()
        for text in texts(folder):
            for _, form in automaton.iter_long(text.lower()):
                counts[form] += 1
    elif mode == "jieba":
        import jieba
        jieba.setLogLevel(60)
        budget = int(sys.argv[4]) * 1_000_000
        wanted = set(forms)
        for text in texts(folder):
            for token in jieba.cut(text):
                if token in wanted:
                    counts[token] += 1
            budget -= len(text.encode("utf-8"))
            if budget <= 0:
                break
    for form, n in counts.most_common():
        print(n, form)


if __name__ == "__main__":
    main()
