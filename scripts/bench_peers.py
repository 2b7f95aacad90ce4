#!/usr/bin/env python3
"""Python baselines for scripts/bench: what a user would write today.

Usage: bench_peers.py aho FORMS.txt DIR      pyahocorasick + Counter, leftmost-longest
       bench_peers.py jieba FORMS.txt DIR MB  jieba segment-then-count on the first MB of text
       bench_peers.py lexicons JSONL DIR       writes DIR/lex10k-{phrases,combinations}.toml

Reads .txt files and the `text` field of .jsonl files under DIR, and prints
`count form` lines like `uniq -c`.
"""
import collections
import json
import os
import random
import re
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


def write_lexicon(path, forms):
    with open(path, "w", encoding="utf-8") as f:
        for i, form in enumerate(sorted(forms)):
            f.write(f'[[term]]\nid = "t{i}"\ncategory = "generated"\nzh = ["{form}"]\n\n')


def lexicons(jsonl, folder, n=10_000):
    """Two seeded lexicons of n Chinese terms built from the corpus."""
    rng = random.Random(7)
    with open(jsonl, encoding="utf-8") as f:
        docs = [json.loads(line).get("text", "") for _, line in zip(range(3000), f)]
    runs = [m.group() for t in docs for m in re.finditer(r"[\u4e00-\u9fff]{6,}", t)]
    phrases = set()
    while len(phrases) < n:
        run, size = rng.choice(runs), rng.randint(3, 6)
        at = rng.randint(0, len(run) - size)
        phrases.add(run[at:at + size])
    write_lexicon(os.path.join(folder, "lex10k-phrases.toml"), phrases)
    chars = collections.Counter(c for t in docs for c in t if "\u4e00" <= c <= "\u9fff")
    alphabet = [c for c, _ in chars.most_common(600)]
    combinations = set()
    while len(combinations) < n:
        size = rng.randint(2, 6)
        combinations.add("".join(rng.choice(alphabet) for _ in range(size)))
    write_lexicon(os.path.join(folder, "lex10k-combinations.toml"), combinations)


def main():
    if sys.argv[1] == "lexicons":
        lexicons(sys.argv[2], sys.argv[3])
        return
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
