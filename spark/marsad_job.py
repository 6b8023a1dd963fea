"""marsad as a PySpark step: articles in, partitioned Parquet of every layer out.

    spark-submit --master local[2] spark/marsad_job.py \
        --input articles.jsonl --output out/ [--partitions N] [--lexicon DIR]

Reads JSONL (one article per line: id, text, optional date, source, url,
title) or Parquet with those columns, runs the marsad extractor (the `marsad`
wheel) over Arrow batches with `mapInArrow` -- ONE extraction per article,
all layers at once -- and writes one Parquet dataset per layer:

    OUTPUT/documents  OUTPUT/events  OUTPUT/quotes
    OUTPUT/entities   OUTPUT/times   OUTPUT/counts

each partitioned by `--partition-by` (default `doc_date`, the article's
publication date; `__HIVE_DEFAULT_PARTITION__` holds articles without one).
Every layer's columns are `marsad.schema(layer)`; `events` is the schema
`marsad export --format parquet` writes. See docs/scale.md for running it on
a cluster.
"""

import argparse
import os
import sys

from pyspark import SparkFiles, StorageLevel
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.pandas.types import from_arrow_schema
from pyspark.sql.types import StringType, StructField, StructType

import marsad

INPUT_COLUMNS = ["id", "text", "date", "source", "url", "title"]

# JSONL is read with a fixed schema: no inference pass over the input, and a
# numeric id becomes its digits, as `marsad extract` reads it.
JSONL_SCHEMA = StructType([StructField(c, StringType(), True) for c in INPUT_COLUMNS])


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="marsad_job.py",
        description="Run the marsad extractor over articles with Spark; "
        "write partitioned Parquet per layer.",
    )
    p.add_argument("--input", required=True, action="append",
                   help="a JSONL or Parquet file or folder of articles (repeatable; "
                        "any Spark path: file://, hdfs://, s3a://, gs://)")
    p.add_argument("--format", choices=["auto", "jsonl", "parquet"], default="auto",
                   help="input format (default: from the first input's extension; "
                        ".parquet/.pq is Parquet, anything else JSONL)")
    p.add_argument("--output", required=True,
                   help="output folder: one sub-folder per layer")
    p.add_argument("--partitions", type=int, default=0,
                   help="repartition the articles into N tasks before extraction "
                        "(default: as read; use about 2-4x the executor cores)")
    p.add_argument("--partition-by", default="doc_date",
                   help="output partition column (doc_date, outlet, or '' for none)")
    p.add_argument("--layers", default=",".join(marsad.LAYERS),
                   help="comma-separated layers to write (default: all: %(default)s)")
    p.add_argument("--lexicon", default=None,
                   help="a local lexicon overlay folder (lexicon/FORMATS.md), shipped "
                        "to every executor with SparkContext.addFile")
    p.add_argument("--batch-rows", type=int, default=1000,
                   help="articles per Arrow batch handed to the extractor (default 1000)")
    p.add_argument("--mode", choices=["errorifexists", "overwrite"], default="errorifexists",
                   help="when an output layer folder exists (default: fail)")
    p.add_argument("--master", default=None,
                   help="Spark master when not given by spark-submit (e.g. local[2])")
    return p.parse_args(argv)


def read_articles(spark, args):
    fmt = args.format
    if fmt == "auto":
        first = args.input[0].rstrip("/").lower()
        fmt = "parquet" if first.endswith((".parquet", ".pq")) else "jsonl"
    if fmt == "parquet":
        df = spark.read.parquet(*args.input)
    else:
        # FAILFAST: a line that is not a JSON object stops the job with its text
        df = spark.read.schema(JSONL_SCHEMA).option("mode", "FAILFAST").json(args.input)
    missing = [c for c in ("id", "text") if c not in df.columns]
    if missing:
        raise SystemExit(f"marsad_job: input has no {', '.join(missing)} column "
                         f"(columns: {', '.join(df.columns)})")
    cols = []
    for c in INPUT_COLUMNS:
        if c in df.columns:
            cols.append(F.col(c))
    return df.select(*cols)


def extract_partition(lexicon_name):
    """The function mapInArrow runs on the executors: Arrow batches of
    articles in, one nested batch (a list<struct> column per layer) out."""

    def run(batches):
        import marsad as m  # on the executor

        if lexicon_name:
            m.init(lexicon_dir=SparkFiles.get(lexicon_name))
        for batch in batches:
            yield m.extract_batch(batch)

    return run


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    layers = [l.strip() for l in args.layers.split(",") if l.strip()]
    unknown = [l for l in layers if l not in marsad.LAYERS]
    if unknown:
        raise SystemExit(f"marsad_job: unknown layer(s) {unknown}; one of {marsad.LAYERS}")
    if args.lexicon and not os.path.isdir(args.lexicon):
        raise SystemExit(f"marsad_job: --lexicon {args.lexicon} is not a folder")
    if args.lexicon:
        marsad.init(lexicon_dir=args.lexicon)  # fail early, on the driver, on a bad overlay

    builder = SparkSession.builder.appName("marsad")
    if args.master:
        builder = builder.master(args.master)
    spark = (builder
             .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(args.batch_rows))
             .getOrCreate())

    lexicon_name = None
    if args.lexicon:
        path = os.path.abspath(args.lexicon)
        spark.sparkContext.addFile(path, recursive=True)
        lexicon_name = os.path.basename(path.rstrip("/"))

    articles = read_articles(spark, args)
    if args.partitions > 0:
        articles = articles.repartition(args.partitions)

    nested_schema = from_arrow_schema(marsad.schema())
    nested = articles.mapInArrow(extract_partition(lexicon_name), nested_schema)
    # every layer is written from the same extraction: keep it, do not recompute
    nested = nested.persist(StorageLevel.DISK_ONLY)

    for layer in layers:
        rows = nested.select(F.explode(layer).alias("r")).select("r.*")
        writer = rows.write.mode(args.mode)
        if args.partition_by:
            writer = writer.partitionBy(args.partition_by)
        writer.parquet(os.path.join(args.output, layer) if "://" not in args.output
                       else args.output.rstrip("/") + "/" + layer)
    nested.unpersist()
    spark.stop()


if __name__ == "__main__":
    main()
