"""Local-mode equality test of the Spark job (run by spark/run-local-test).

Runs spark/marsad_job.py with spark-submit --master local[2] twice -- JSONL
input with the embedded lexicon, then the same articles as Parquet with the
test lexicon overlay shipped to the executors -- reads every layer's
partitioned Parquet back with pyarrow, and checks it equals, row for row,
what `marsad extract` (the CLI binary) prints for the same articles, mapped
to the layer tables here in Python (an implementation independent of the
Rust one: spans are sliced with Python's code-point indexing).

    python spark/test_local.py --marsad target/release/marsad --work /tmp/x
"""

import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import time

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

import marsad

HERE = os.path.dirname(os.path.abspath(__file__))
ARTICLES = os.path.join(HERE, "testdata", "articles.jsonl")
OVERLAY = os.path.join(HERE, "testdata", "lexicon")
JOB = os.path.join(HERE, "marsad_job.py")


def day_of(ev_date, doc_date):
    def is_day(s):
        return (isinstance(s, str) and len(s) == 10 and s[4] == "-" and s[7] == "-"
                and all(c.isdigit() for i, c in enumerate(s) if i not in (4, 7)))
    if is_day(ev_date):
        return ev_date
    if is_day(doc_date):
        return doc_date
    return ev_date


def expected_rows(article, rec):
    """The rows of every layer for one article and its CLI record."""
    text = article["text"]
    ents = {e["id"]: e for e in rec["entities"]}
    key = {"doc_id": rec["id"], "doc_date": rec["date"], "outlet": rec.get("source")}

    def name(eid):
        return ents[eid]["name"] if eid in ents else None

    out = collections.defaultdict(list)
    out["documents"].append(dict(key, url=article.get("url"), title=article.get("title"),
                                 entities=len(rec["entities"]), quotes=len(rec["quotes"]),
                                 events=len(rec["events"]), times=len(rec["times"]),
                                 counts=len(rec["counts"]),
                                 diagnostics=rec.get("diagnostics", [])))
    for ev in rec["events"]:
        out["events"].append(dict(
            key, event_id=None, cluster=None, url=article.get("url"), date=ev["date"],
            day=day_of(ev["date"], rec["date"]),
            source_actor=ev["source_actor"], source_name=name(ev["source"]),
            target_actor=ev["target_actor"], target_name=name(ev["target"]),
            cameo=ev["cameo"], root=ev["root"], plover=ev["plover"], mode=ev["mode"],
            quad_class=ev["quad_class"], goldstein=ev["goldstein"], modality=ev["modality"],
            location=name(ev["location"]),
            trigger=text[ev["trigger"][0]:ev["trigger"][1]],
            trigger_start=ev["trigger"][0], trigger_end=ev["trigger"][1],
            sentence_start=ev["sentence"][0], sentence_end=ev["sentence"][1],
            confidence=ev["confidence"], pattern=ev["pattern"],
            num_mentions=None, num_sources=None, num_articles=None))
    for q in rec["quotes"]:
        sp = ents.get(q["speaker"])
        cue = q.get("cue_span")
        out["quotes"].append(dict(
            key, speaker_id=q["speaker"], speaker=sp["name"] if sp else None,
            speaker_actor=sp["actor"] if sp else None, speaker_text=q["speaker_text"],
            cue=q["cue"], text=q["text"], direct=q["direct"], via=q["via"],
            start=q["span"][0], end=q["span"][1],
            cue_start=cue[0] if cue else None, cue_end=cue[1] if cue else None))
    for e in rec["entities"]:
        out["entities"].append(dict(
            key, entity_id=e["id"], type=e["type"], name=e["name"], name_en=e["name_en"],
            actor=e["actor"], country=e["country"], how=e["source"],
            confidence=e["confidence"],
            mentions=[{"start": s, "end": t} for s, t in e["mentions"]]))
    for t in rec["times"]:
        out["times"].append(dict(key, text=t["text"], value=t["value"],
                                 granularity=t["granularity"],
                                 start=t["span"][0], end=t["span"][1]))
    for c in rec["counts"]:
        out["counts"].append(dict(key, type=c["type"], min=c["min"], max=c["max"],
                                  qualifier=c["qualifier"], unit=c["unit"], text=c["text"],
                                  start=c["span"][0], end=c["span"][1]))
    return out


def norm_type(t):
    """An Arrow type without list item names or nullability (Spark writes
    `element` items and optional columns)."""
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return ("list", norm_type(t.value_type))
    if pa.types.is_struct(t):
        return ("struct", tuple((t.field(i).name, norm_type(t.field(i).type))
                                for i in range(t.num_fields)))
    return str(t)


def read_layer(path, part_col):
    part = ds.partitioning(pa.schema([(part_col, pa.string())]), flavor="hive")
    table = ds.dataset(path, format="parquet", partitioning=part).to_table()
    return table


def canon(row):
    return json.dumps(row, sort_keys=True, ensure_ascii=False)


def run_job(inp, out, lexicon):
    cmd = ["spark-submit", "--master", "local[2]",
           "--conf", "spark.ui.enabled=false",
           "--conf", "spark.sql.shuffle.partitions=4",
           JOB, "--input", inp, "--output", out, "--partitions", "2",
           "--batch-rows", "4", "--mode", "overwrite"]
    if lexicon:
        cmd += ["--lexicon", lexicon]
    t = time.time()
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        sys.stderr.write(res.stdout[-4000:] + res.stderr[-8000:])
        raise SystemExit(f"spark job failed ({res.returncode}): {' '.join(cmd)}")
    return time.time() - t


def check(name, marsad_bin, articles_path, spark_input, work, lexicon):
    cli = [marsad_bin, "extract", articles_path] + (["--lexicon", lexicon] if lexicon else [])
    records = [json.loads(l) for l in subprocess.run(cli, check=True, capture_output=True,
                                                     text=True).stdout.splitlines()]
    articles = [json.loads(l) for l in open(articles_path, encoding="utf-8") if l.strip()]
    assert [str(a["id"]) for a in articles] == [r["id"] for r in records], "CLI order"
    want = collections.defaultdict(list)
    for a, r in zip(articles, records):
        for layer, rows in expected_rows(a, r).items():
            want[layer].extend(rows)

    out = os.path.join(work, f"out-{name}")
    secs = run_job(spark_input, out, lexicon)
    total = 0
    for layer in marsad.LAYERS:
        table = read_layer(os.path.join(out, layer), "doc_date")
        schema = marsad.schema(layer)
        got_cols = {f.name: norm_type(f.type) for f in table.schema}
        want_cols = {f.name: norm_type(f.type) for f in schema}
        assert got_cols == want_cols, f"{name}/{layer}: schema\n{got_cols}\n!=\n{want_cols}"
        got = collections.Counter(canon(r) for r in table.to_pylist())
        exp = collections.Counter(canon(r) for r in want[layer])
        if got != exp:
            missing = list((exp - got).elements())[:3]
            extra = list((got - exp).elements())[:3]
            raise SystemExit(f"{name}/{layer}: Spark output differs from `marsad extract`\n"
                             f"missing: {missing}\nextra: {extra}")
        assert sum(exp.values()) == table.num_rows
        total += table.num_rows
        print(f"  {name}/{layer}: {table.num_rows} rows equal")
    return records, total, secs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--marsad", required=True, help="the marsad CLI binary")
    ap.add_argument("--work", required=True, help="scratch folder")
    a = ap.parse_args()
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)

    # 1. JSONL in, embedded lexicon
    recs, rows1, s1 = check("jsonl", a.marsad, ARTICLES, ARTICLES, a.work, None)
    assert not any("القرطبي" in e["name"] for r in recs for e in r["entities"])

    # 2. the same articles as Parquet, with the lexicon overlay on the executors
    articles = [json.loads(l) for l in open(ARTICLES, encoding="utf-8") if l.strip()]
    cols = ["id", "date", "source", "url", "title", "text"]
    table = pa.table({c: pa.array([None if a.get(c) is None else str(a[c]) for a in articles],
                                  pa.string()) for c in cols})
    pq_path = os.path.join(a.work, "articles.parquet")
    pq.write_table(table, pq_path)
    recs2, rows2, s2 = check("parquet+overlay", a.marsad, ARTICLES, pq_path, a.work, OVERLAY)
    assert any(e["name"] == "زيدون القرطبي" and e["actor"] == "IGOARL"
               for r in recs2 for e in r["entities"]), "the overlay took effect"

    print(f"spark local[2] equality: OK ({len(recs)} articles, {rows1}+{rows2} layer rows "
          f"equal to marsad extract; jobs {s1:.0f}s + {s2:.0f}s)")


if __name__ == "__main__":
    main()
