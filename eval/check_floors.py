#!/usr/bin/env python3
"""Compare the scorer's JSON line with the committed floors.

usage: check_floors.py FLOORS.json SCORE_OUTPUT.txt SCORES_OUT.json

FLOORS.json maps layer -> {"f1": x, "attr": y}. Every figure must be at or
above its floor. The measured figures are written to SCORES_OUT.json so that a
change that moves them shows in review. Raise floors as layers improve; never
lower them to land a change.
"""
import json
import sys


def main():
    floors_path, score_path, out_path = sys.argv[1:4]
    with open(floors_path, encoding="utf-8") as f:
        floors = json.load(f)
    summary = None
    with open(score_path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                summary = json.loads(line)
    if summary is None:
        sys.exit("check_floors: no JSON summary in the scorer output")
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2, sort_keys=True)
        f.write("\n")
    failed = []
    for layer, want in floors.items():
        got = summary.get(layer, {})
        for key, floor in want.items():
            value = got.get(key, 0.0)
            status = "ok" if value + 1e-9 >= floor else "BELOW FLOOR"
            print(f"{layer:9} {key:5} {value:.3f} (floor {floor:.3f}) {status}")
            if status != "ok":
                failed.append(f"{layer}.{key}")
    if failed:
        sys.exit("check_floors: below the committed floor: " + ", ".join(failed))
    print("check_floors: all figures at or above their floors")


if __name__ == "__main__":
    main()
