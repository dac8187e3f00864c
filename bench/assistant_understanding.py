"""How well and how fast the assistant understands messages.

    .venv/bin/python bench/assistant_understanding.py [--unseen bench/data/assistant_unseen.jsonl]

1. Held-out split of the team's own examples (a stratified fifth per language and intent,
   seed 7): the model is trained on the other four fifths and scored on it — intent accuracy,
   macro-F1, out-of-scope (`other`) recall, per language; language accuracy.
2. The unseen set (messages written separately, never trained on): intent accuracy,
   escalation recall and precision, order-reference accuracy, with the production model.
3. Latency per message of the whole `understand` call on one core, p50 and p99.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split

from mostrador.assistant import examples as team_examples
from mostrador.assistant.classifier import train
from mostrador.assistant.understanding import Context, understand

TODAY = date(2026, 11, 24)


def held_out() -> None:
    data = team_examples.examples()
    strata = [f"{e.language}:{e.intent}" for e in data]
    fit, test = train_test_split(data, test_size=0.2, random_state=7, stratify=strata)
    started = time.perf_counter()
    model = train(fit)
    print(f"trained on {len(fit)} examples (+ variants) in {time.perf_counter() - started:.1f} s")
    guesses = model.intents([e.text for e in test])
    truth = [e.intent for e in test]
    predicted = [g.intent for g in guesses]
    accuracy = sum(t == p for t, p in zip(truth, predicted, strict=True)) / len(test)
    macro = f1_score(truth, predicted, average="macro")
    others = [p for t, p in zip(truth, predicted, strict=True) if t == "other"]
    print(
        f"held-out: n={len(test)} accuracy={accuracy:.3f} macro-F1={macro:.3f} "
        f"other-recall={others.count('other') / len(others):.3f}"
    )
    by_language: dict[str, list[bool]] = defaultdict(list)
    for example, guess in zip(test, predicted, strict=True):
        by_language[example.language].append(example.intent == guess)
    for language, hits in sorted(by_language.items()):
        print(f"  {language}: accuracy={sum(hits) / len(hits):.3f} (n={len(hits)})")
    languages = [model.language(e.text).language for e in test]
    language_hits = sum(e.language == g for e, g in zip(test, languages, strict=True))
    print(f"  language accuracy={language_hits / len(test):.3f}")
    confusions = Counter((t, p) for t, p in zip(truth, predicted, strict=True) if t != p)
    print("  most confused:", ", ".join(f"{t}->{p} {n}" for (t, p), n in confusions.most_common(6)))


def unseen(path: Path) -> None:
    from mostrador.assistant.trained import classifier

    model = classifier()
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    results = [understand(model, row["text"], Context(), today=TODAY) for row in rows]
    intent_hits = sum(r.intent == row["intent"] for r, row in zip(results, rows, strict=True))
    language_hits = sum(r.language == row["language"] for r, row in zip(results, rows, strict=True))
    should = [
        r.escalation.escalate for r, row in zip(results, rows, strict=True) if row["escalate"]
    ]
    flagged = [
        row["escalate"] for r, row in zip(results, rows, strict=True) if r.escalation.escalate
    ]
    ref_hits = sum(
        r.entities.order_ref == row["order_ref"] for r, row in zip(results, rows, strict=True)
    )
    with_ref = [row for row in rows if row["order_ref"]]
    ref_found = sum(
        r.entities.order_ref == row["order_ref"]
        for r, row in zip(results, rows, strict=True)
        if row["order_ref"]
    )
    print(
        f"unseen: n={len(rows)} intent accuracy={intent_hits / len(rows):.3f} "
        f"language accuracy={language_hits / len(rows):.3f}"
    )
    print(
        f"  escalation recall={sum(should) / len(should):.3f} (n={len(should)}) "
        f"precision={sum(flagged) / max(1, len(flagged)):.3f} (flagged {len(flagged)})"
    )
    print(
        f"  order_ref exact on all lines={ref_hits / len(rows):.3f}; "
        f"found on lines with one={ref_found / len(with_ref):.3f} (n={len(with_ref)})"
    )
    truth = [row["intent"] for row in rows]
    predicted = [r.intent for r in results]
    print(f"  macro-F1={f1_score(truth, predicted, average='macro'):.3f}")
    confusions = Counter((t, p) for t, p in zip(truth, predicted, strict=True) if t != p)
    print("  most confused:", ", ".join(f"{t}->{p} {n}" for (t, p), n in confusions.most_common(8)))
    if os.environ.get("SHOW_MISSES"):
        for r, row in zip(results, rows, strict=True):
            if r.intent != row["intent"]:
                print(f"    [{row['intent']}->{r.intent} {r.guess.confidence:.2f}] {row['text']}")
            if r.escalation.escalate != row["escalate"]:
                print(f"    [esc {row['escalate']}] {row['text']}")
            if r.entities.order_ref != row["order_ref"]:
                print(f"    [ref {row['order_ref']}!={r.entities.order_ref}] {row['text']}")


def latency(path: Path | None) -> None:
    from mostrador.assistant.trained import classifier

    os.sched_setaffinity(0, {0})
    model = classifier()
    texts = [e.text for e in team_examples.examples()]
    if path is not None:
        texts += [json.loads(line)["text"] for line in path.read_text().splitlines() if line]
    for text in texts[:200]:
        understand(model, text, Context(), today=TODAY)
    timings = []
    for text in texts:
        started = time.perf_counter_ns()
        understand(model, text, Context(), today=TODAY)
        timings.append((time.perf_counter_ns() - started) / 1e6)
    timings.sort()
    p99 = timings[int(len(timings) * 0.99)]
    print(
        f"latency on one core: n={len(timings)} p50={statistics.median(timings):.2f} ms "
        f"p99={p99:.2f} ms max={timings[-1]:.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--unseen", type=Path, default=Path("bench/data/assistant_unseen.jsonl"))
    args = parser.parse_args()
    held_out()
    path = args.unseen if args.unseen.exists() else None
    if path is not None:
        unseen(path)
    latency(path)


if __name__ == "__main__":
    main()
