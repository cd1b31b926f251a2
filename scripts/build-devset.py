#!/usr/bin/env python3
"""Builds devset/devset.jsonl from the labelled answers in devset/answers/*.jsonl.

Each labelled answer names a pack question (`qid`). The output line carries what the pack-free
`mockloop grade --jsonl` interface takes — `question`, `reference` and, for two questions in three,
`key_points` as plain strings (no phrasings) — so the dev set measures the same path an outside
evaluation uses. Every third question (by sorted id) omits `key_points`, exercising the grader's
derivation of key points from the reference answer.

`--holdout` does the same for devset/holdout/answers.jsonl → devset/holdout/holdout.jsonl: answers to
questions the grader was never tuned on, labelled separately, used only to report generalisation.
"""
import json
import pathlib
import sys
import tomllib

root = pathlib.Path(__file__).resolve().parent.parent
pack = root / "packs" / "infrastructure-engineer" / "questions"
questions = {}
for path in sorted(pack.glob("*.md")):
    text = path.read_text()
    _, front, body = text.split("+++", 2)
    meta = tomllib.loads(front)
    questions[meta["id"]] = (meta, body.strip())

holdout = "--holdout" in sys.argv
src = root / "devset" / ("holdout" if holdout else "answers")
dest = root / "devset" / ("holdout/holdout.jsonl" if holdout else "devset.jsonl")
sources = [src / "answers.jsonl"] if holdout else sorted(src.glob("*.jsonl"))
ids = sorted({json.loads(l)["qid"] for f in sources for l in f.read_text().splitlines() if l.strip()})
without_kp = set(ids[2::3])
out = []
for f in sources:
    for n, line in enumerate(f.read_text().splitlines(), 1):
        if not line.strip():
            continue
        item = json.loads(line)
        qid = item["qid"]
        if qid not in questions:
            sys.exit(f"{f}:{n}: unknown question id {qid}")
        meta, body = questions[qid]
        row = {"qid": qid, "kind": item["kind"], "question": meta["prompt"], "reference": body}
        if qid not in without_kp:
            row["key_points"] = [kp["text"] for kp in meta["key_points"]]
        row["answer"] = item["answer"]
        row["human_score"] = item["human_score"]
        out.append(row)
dest.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out))
print(f"wrote {len(out)} labelled answers over {len(ids)} questions ({len(without_kp)} without key points)")
