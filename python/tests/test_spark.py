"""The two Spark recipes of the README on a local Spark (local[2]): RDD.pipe over the
binary with JSON Lines in and out, and mapPartitions with the Python package. N inputs
give N records, in order, with their ids."""

import json
import os
import shutil
import sys

import pytest

pyspark = pytest.importorskip("pyspark")

import radpath  # noqa: E402
from radpath.spark import extract_partition, extract_partition_json  # noqa: E402
from conftest import gold  # noqa: E402


@pytest.fixture(scope="module")
def sc():
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.fail("Spark needs Java: apt-get install -y default-jre-headless")
    # Workers run this interpreter, which has the package installed.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    from pyspark import SparkConf, SparkContext

    conf = (
        SparkConf()
        .setMaster("local[2]")
        .setAppName("radpath-test")
        .set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1")
    )
    context = SparkContext(conf=conf)
    context.setLogLevel("ERROR")
    yield context
    context.stop()


def _inputs(with_errors):
    cases = gold("radiology_nl.jsonl") + gold("radiology_en.jsonl") + gold("pathology_nl.jsonl")
    items = [{"id": c["id"], "text": c["text"], "lang": c.get("lang")} for c in cases]
    if with_errors:
        items[3] = {"id": "bad-empty", "text": ""}
        items[11] = {"id": "bad-missing"}
        items.append({"id": "bad-last", "text": "  \n "})
    return items


def test_rdd_pipe_over_the_binary(sc, radpath_bin):
    items = _inputs(with_errors=False)
    rdd = sc.parallelize([json.dumps(i) for i in items], 4)
    # checkCode=True: a failed run of the binary fails the task. Without --exit-zero a
    # report that cannot be read makes the exit code 1, so these inputs are all readable.
    out = rdd.pipe(f"{radpath_bin} extract --input jsonl --quiet -", checkCode=True).collect()
    recs = [json.loads(line) for line in out]
    assert len(recs) == len(items) > 20
    assert [r["id"] for r in recs] == [i["id"] for i in items]
    assert all("summary" in r for r in recs)
    # The same records as the package gives (up to where they were read).
    local = radpath.extract_many(items)
    for got, want in zip(recs, local):
        assert got["summary"] == want["summary"]


def test_rdd_pipe_keeps_error_records_in_place(sc, radpath_bin):
    items = _inputs(with_errors=True)
    rdd = sc.parallelize([json.dumps(i) for i in items], 3)
    # Exit code 1 (some reports failed) is not an error here: the error records are in
    # the output. (`--exit-zero`, where the binary has it, makes checkCode=True usable.)
    out = rdd.pipe(f"{radpath_bin} extract --input jsonl --quiet -", checkCode=False).collect()
    recs = [json.loads(line) for line in out]
    assert [r["id"] for r in recs] == [i["id"] for i in items]
    kinds = {r["id"]: r["error"]["kind"] for r in recs if "error" in r}
    assert kinds == {"bad-empty": "empty_text", "bad-missing": "missing_text", "bad-last": "empty_text"}


def test_map_partitions_with_the_package(sc):
    items = _inputs(with_errors=True)
    recs = sc.parallelize(items, 4).mapPartitions(extract_partition).collect()
    assert len(recs) == len(items)
    assert [r["id"] for r in recs] == [i["id"] for i in items]
    kinds = {r["id"]: r["error"]["kind"] for r in recs if "error" in r}
    assert kinds == {"bad-empty": "empty_text", "bad-missing": "missing_text", "bad-last": "empty_text"}
    local = radpath.extract_many(items)
    assert [r.get("summary") for r in recs] == [r.get("summary") for r in local]


def test_map_partitions_on_a_dataframe(sc):
    from pyspark.sql import SparkSession

    spark = SparkSession(sc)
    items = _inputs(with_errors=True)
    rows = [(i["id"], i.get("text"), "site-1") for i in items]
    df = spark.createDataFrame(rows, "id string, text string, site string").repartition(1)
    lines = df.rdd.mapPartitions(extract_partition_json)
    recs = [json.loads(line) for line in lines.collect()]
    assert [r["id"] for r in recs] == [i["id"] for i in items]
    ok = [r for r in recs if "summary" in r]
    assert ok and all(r["meta"] == {"site": "site-1"} for r in ok)
    # A missing text is a null column in a DataFrame: an error record, not an exception.
    assert {r["id"]: r["error"]["kind"] for r in recs if "error" in r} == {
        "bad-empty": "empty_text",
        "bad-missing": "missing_text",
        "bad-last": "empty_text",
    }
    # The JSON lines load as a DataFrame.
    table = spark.read.json(lines)
    assert table.count() == len(items)
