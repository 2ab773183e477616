"""Scenarios ``dedup.quality`` and ``dedup.candidate_recall``: duplicate detection, ours against splink's.

``dedup.quality.precision``, ``.recall``, ``.f1``, ``.splink_*`` and ``.recall_by_kind.<kind>`` are
measured on the HELD-OUT part of the independent set (benchmarks/dedup_independent.py), the one the
weights were not tuned on; ``.tuning.*`` on its tuning part; ``.old.*`` on the earlier set built from the
demo names (benchmarks/dedup_data.py). ``dedup.candidate_recall`` is the share of true pairs of the
held-out part that blocking brings together at all (the scorer cannot find the others).

All work on labelled records (no server, no database). Ours blocks with
``block_keys`` and calls ``compare`` once per candidate pair. Splink 5 (DuckDB, offline) gets the same
records with every name transliterated by ``to_ascii`` and its consonant skeleton as an extra column,
a model trained the usual way (u by random sampling, m by expectation maximisation on two blocking
rules) and predicts at match probability 0.5; see ``splink`` for the settings.

``.venv/bin/python -c "from benchmarks.dedup_quality import run_quality; print(run_quality())"``
"""

from __future__ import annotations

import logging
import subprocess
import time
from collections import defaultdict
from itertools import combinations

from benchmarks import dedup_data, dedup_independent
from benchmarks.scenarios import scenario
from benchmarks.server import PANOH, ROOT
from registration.dedup.matching import (
    NameRecord,
    block_keys,
    compare,
    normalise_tazkira,
    plausible,
    skeleton,
    to_ascii,
)

Pairs = set[tuple[int, int]]
#: the whole-registry scan is a batch job: it may take a long time, but not forever
SCAN_TIMEOUT_S = 3 * 3600


def figures(predicted: Pairs, truth: Pairs) -> dict[str, float]:
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 1.0
    recall = hits / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


# ---------------------------------------------------------------------------------------------------
# Ours
# ---------------------------------------------------------------------------------------------------
def candidate_pairs(records: dict[int, NameRecord]) -> Pairs:
    """Pairs of records that share a blocking key and pass ``plausible``, as the scan and the desk find them."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for record_id, record in records.items():
        for key in block_keys(record):
            blocks[key].append(record_id)
    pairs = {pair for ids in blocks.values() for pair in combinations(sorted(ids), 2)}
    return {(a, b) for a, b in pairs if plausible(records[a], records[b])}


def ours(data) -> tuple[Pairs, Pairs]:
    """(candidate pairs, pairs predicted to be the same person)."""
    candidates = candidate_pairs(data.records)
    records = data.records
    return candidates, {pair for pair in candidates if compare(records[pair[0]], records[pair[1]]).same}


# ---------------------------------------------------------------------------------------------------
# Splink
# ---------------------------------------------------------------------------------------------------
def splink_rows(records: dict[int, NameRecord]) -> list[dict]:
    """One row per record: ASCII names (Latin as typed, else the original script transliterated) and
    their skeletons (as block_keys computes them) for blocking and a phonetic comparison level."""
    rows = []
    for record_id, r in records.items():
        row = {
            "id": record_id,
            "dob": r.birth_date.isoformat(),
            "birth_year": r.birth_date.year,
            "sex": r.sex,
            "tazkira": normalise_tazkira(r.tazkira),
        }
        for field in ("given", "father", "family"):
            text = getattr(r, field) or getattr(r, f"{field}_orig")
            row[field] = (" ".join(to_ascii(text).split()) or None) if text else None
            row[f"{field}_sk"] = (skeleton(text) or None) if text else None
        rows.append(row)
    return rows


def _name_comparison(column: str):
    """Splink's usual name levels plus one for an equal consonant skeleton (a phonetic-key level, as
    splink's docs suggest with Double Metaphone), so that Arabic-script names (``mhmd``) can meet Latin ones."""
    import splink.comparison_level_library as cll
    from splink.comparison_library import CustomComparison

    return CustomComparison(
        [
            cll.NullLevel(column),
            cll.ExactMatchLevel(column),
            cll.ExactMatchLevel(f"{column}_sk"),
            cll.JaroWinklerLevel(column, 0.92),
            cll.JaroWinklerLevel(column, 0.8),
            cll.ElseLevel(),
        ],
        output_column_name=column,
    )


def splink(data) -> Pairs:
    """Splink's predicted pairs at match probability 0.5.

    Blocking as ours (skeletons of given|father, given|family, given|sex|year, father|sex|year, tazkira);
    u by random sampling (2 million pairs), m by EM blocked on given|father skeletons (trains the date,
    family, sex, tazkira) and on the date of birth (trains the names); the prior from near-certain
    rules at an assumed recall of 0.7. Other EM blockings tried gave the same F1 or worse.
    """
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    db = DuckDBAPI()
    table = db.register(splink_rows(data.records))
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="id",
        comparisons=[
            *(_name_comparison(column) for column in ("given", "father", "family")),
            cl.DateOfBirthComparison(
                "dob", input_is_string=True, datetime_metrics=["month", "year", "year"], datetime_thresholds=[1, 1, 3]
            ),
            cl.ExactMatch("sex"),
            cl.ExactMatch("tazkira"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_sk", "father_sk"),
            block_on("given_sk", "family_sk"),
            block_on("given_sk", "sex", "birth_year"),
            block_on("father_sk", "sex", "birth_year"),
            block_on("tazkira"),
        ],
    )
    linker = Linker(table, settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_sk", "father_sk", "dob"), block_on("tazkira")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_sk", "father_sk"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    rows = predictions.as_duckdbpyrelation().select("id_l, id_r").fetchall()
    return {(min(a, b), max(a, b)) for a, b in rows}


# ---------------------------------------------------------------------------------------------------
# The scenario
# ---------------------------------------------------------------------------------------------------
def by_kind(data: dedup_independent.IndependentSet, predicted: Pairs) -> dict[str, float]:
    """Recall on the true pairs of each kind of variation."""
    kinds: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for pair in data.truth:
        kinds[data.kind_of_pair(pair)].append(pair)
    return {
        f"recall_by_kind.{kind}": round(sum(p in predicted for p in pairs) / len(pairs), 4)
        for kind, pairs in sorted(kinds.items())
    }


def run_quality(seed: int = 20261127, with_splink: bool = True) -> dict[str, float]:
    data = dedup_independent.build()
    held_out, tuning = data.part(held_out=True), data.part(held_out=False)
    started = time.perf_counter()
    candidates, predicted = ours(held_out)
    result = figures(predicted, held_out.truth) | {"seconds": round(time.perf_counter() - started, 2)}
    result["candidate_recall"] = figures(candidates, held_out.truth)["recall"]
    result["candidate_pairs"] = len(candidates)
    result |= by_kind(held_out, predicted)
    if with_splink:
        started = time.perf_counter()
        result |= {f"splink_{k}": v for k, v in figures(splink(held_out), held_out.truth).items()}
        result["splink_seconds"] = round(time.perf_counter() - started, 2)
    tuning_candidates, tuning_predicted = ours(tuning)
    result |= {f"tuning.{k}": v for k, v in figures(tuning_predicted, tuning.truth).items()}
    result["tuning.candidate_recall"] = figures(tuning_candidates, tuning.truth)["recall"]
    old = dedup_data.build(seed)
    old_candidates, old_predicted = ours(old)
    result |= {f"old.{k}": v for k, v in figures(old_predicted, old.truth).items()}
    result["old.blocking_recall"] = figures(old_candidates, old.truth)["recall"]
    return result


@scenario("dedup.quality")
def dedup_quality(ctx) -> dict[str, float]:
    """Needs no server: the records are generated and matched in this process."""
    return run_quality()


@scenario("dedup.candidate_recall")
def candidate_recall(ctx) -> float:
    """Share of the held-out true pairs that share a blocking key (whatever the scorer then says)."""
    held_out = dedup_independent.build().part(held_out=True)
    return figures(candidate_pairs(held_out.records), held_out.truth)["recall"]


@scenario("dedup.scan_570k", final=True)
def scan_registry(ctx) -> dict[str, float]:
    """``panoh registration duplicates`` over the whole bench database (about 570,000 people at --size
    100000), timed from the command's start to its end; it runs last, since it queues pairs."""
    started = time.perf_counter()
    done = subprocess.run(
        [str(PANOH), "registration", "duplicates"],
        env=ctx.server.env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=SCAN_TIMEOUT_S,
        check=False,
    )
    seconds = round(time.perf_counter() - started, 1)
    if done.returncode:
        raise RuntimeError(f"panoh registration duplicates failed ({done.returncode}):\n{done.stderr[-2000:]}")
    output = done.stdout
    queued = int(output.split()[0]) if output.split() and output.split()[0].isdigit() else -1
    return {"seconds": seconds, "queued": queued}
