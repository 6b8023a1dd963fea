"""Tests of the `marsad` Python module against the built wheel.

    MARSAD_BIN=target/release/marsad python crates/marsad-py/tests/test_marsad.py

`extract` must give, article for article, the record `marsad extract`
prints; `extract_batch` the layer tables of `marsad.schema`; bad input a
ValueError naming the document.
"""

import json
import os
import subprocess
import threading
import unittest

import pyarrow as pa

import marsad

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
ARTICLES = os.path.join(ROOT, "spark", "testdata", "articles.jsonl")
OVERLAY = os.path.join(ROOT, "spark", "testdata", "lexicon")


def articles():
    with open(ARTICLES, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def cli(*args):
    out = subprocess.run([os.environ["MARSAD_BIN"], "extract", *args, ARTICLES],
                         check=True, capture_output=True, text=True).stdout
    return [json.loads(l) for l in out.splitlines()]


class Extract(unittest.TestCase):
    def test_records_equal_the_cli(self):
        want = cli()
        got = [marsad.extract(a) for a in articles()]
        self.assertEqual(len(got), len(want))
        for g, w in zip(got, want):
            self.assertEqual(g, w, w["id"])

    def test_overlay_then_back_to_embedded(self):
        marsad.init(lexicon_dir=OVERLAY)
        try:
            got = [marsad.extract(a) for a in articles()]
            self.assertEqual(got, cli("--lexicon", OVERLAY))
            self.assertTrue(any(e["name"] == "زيدون القرطبي"
                                for r in got for e in r["entities"]))
        finally:
            marsad.init()
        got = [marsad.extract(a) for a in articles()]
        self.assertFalse(any(e["name"] == "زيدون القرطبي" for r in got for e in r["entities"]))

    def test_bad_overlay_is_a_value_error(self):
        with self.assertRaisesRegex(ValueError, "no-such-folder"):
            marsad.init(lexicon_dir="/no-such-folder")
        marsad.init()

    def test_bad_documents_name_themselves(self):
        cases = [
            ({"text": "نص"}, "no `id`"),
            ({"id": "", "text": "نص"}, "empty"),
            ({"id": 1.5, "text": "نص"}, "float"),
            ({"id": "d1"}, 'document "d1": missing `text`'),
            ({"id": "d2", "text": 7}, 'document "d2": `text` is int'),
            ({"id": "d3", "text": "نص", "date": 20250101}, 'document "d3": `date` is int'),
            ({"id": "d4", "text": "ن" * (2 * 1024 * 1024)}, 'document "d4": text is'),
        ]
        for doc, msg in cases:
            with self.assertRaises(ValueError) as cm:
                marsad.extract(doc)
            self.assertIn(msg, str(cm.exception))
        with self.assertRaises(TypeError):
            marsad.extract(["not", "a", "dict"])

    def test_gil_is_released(self):
        # several threads extracting at once give the same records
        docs = articles()
        want = [marsad.extract(a) for a in docs]
        results = [None] * 4

        def work(i):
            results[i] = [marsad.extract(a) for a in docs]

        threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for r in results:
            self.assertEqual(r, want)


class ExtractBatch(unittest.TestCase):
    def batch(self):
        cols = ["id", "date", "source", "url", "title", "text"]
        return pa.RecordBatch.from_pylist(
            [{c: None if a.get(c) is None else str(a[c]) for c in cols} for a in articles()])

    def test_layers_and_nested(self):
        b = self.batch()
        recs = cli()
        nested = marsad.extract_batch(b)
        self.assertEqual(nested.schema, marsad.schema())
        self.assertEqual(nested.num_rows, b.num_rows)
        self.assertEqual(nested.column("doc_id").to_pylist(), [r["id"] for r in recs])
        for layer in marsad.LAYERS:
            flat = marsad.extract_batch(b, layer=layer)
            self.assertEqual(flat.schema, marsad.schema(layer), layer)
            exploded = [row for rows in nested.column(layer).to_pylist() for row in rows]
            self.assertEqual(exploded, flat.to_pylist(), layer)
        events = marsad.extract_batch(b, layer="events")
        self.assertEqual(events.num_rows, sum(len(r["events"]) for r in recs))
        self.assertEqual(set(events.column("cluster").to_pylist()), {None})

    def test_large_strings_and_integer_ids(self):
        t = pa.table({"id": pa.array([1, 2], pa.int64()),
                      "text": pa.array(["قال الرئيس الروسي إن المحادثات مفيدة.", ""],
                                       pa.large_string())})
        out = marsad.extract_batch(t.to_batches()[0], layer="documents")
        self.assertEqual(out.column("doc_id").to_pylist(), ["1", "2"])

    def test_bad_batches_name_the_row(self):
        b = pa.RecordBatch.from_pylist([{"id": "ok", "text": "نص"}, {"id": "bad", "text": None}])
        with self.assertRaisesRegex(ValueError, r'row 1 \(id "bad"\).*`text` is null'):
            marsad.extract_batch(b)
        with self.assertRaisesRegex(ValueError, "no `text` column"):
            marsad.extract_batch(pa.RecordBatch.from_pylist([{"id": "x", "body": "نص"}]))
        with self.assertRaisesRegex(ValueError, "`text` is null"):
            marsad.extract_batch(pa.RecordBatch.from_pylist([{"id": "x", "text": None}]))
        with self.assertRaisesRegex(ValueError, "column `text` has type Int64"):
            marsad.extract_batch(pa.RecordBatch.from_pylist([{"id": "x", "text": 3}]))
        with self.assertRaisesRegex(ValueError, "unknown layer"):
            marsad.extract_batch(b, layer="tweets")
        with self.assertRaisesRegex(ValueError, "unknown layer"):
            marsad.schema("tweets")


if __name__ == "__main__":
    unittest.main(verbosity=2)
