"""The Splink model of "same human": comparisons, blocking rules, and where its parameters come
from (expectation maximisation on the run's own nominals, or a saved model file).

Fields compared (see `identity_nominals` in `sql/identity/`):

* forename and surname: exact (with term-frequency adjustment, so a shared "smith" counts for
  less than a shared "okonkwo"), swapped between the two fields, a nickname (forename), one
  typo (Damerau-Levenshtein <= 1), similar (Jaro-Winkler >= 0.88), a shared part of a
  hyphenated or double-barrelled surname;
* date of birth: exact, one edit or day and month swapped, within a year, or missing;
* gender (unknown = missing); PNC id (exact, or two different ids);
* associates: a person both are tied to as suspect or victim (the network, by PNC-resolved id).
"""

from __future__ import annotations

import copy
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule

# A blocking rule compares only pairs that agree on its keys; together they must reach every
# plausible duplicate while keeping the number of pairs close to linear in the nominals.
# A record without a date of birth is compared with its namesakes only when fewer than this many
# records carry the name: for a commoner name a name alone cannot reach the review threshold
# (term-frequency adjusted), and comparing every pair of them grows with the square of the data.
# `identity_nominals.name_records` counts them, capped one above (so that a new namesake of a
# common name changes no row: incremental linking).
NAME_RECORDS_CAP = 50


def blocking_rules() -> list:
    """Pairs scored by the model (their union), each an equality join, so that the pairs grow
    with the records sharing a key, not with all pairs: same names and year of birth; same names
    and day and month of birth (a typo in the year); same names and one date of birth missing
    (names held by at most NAME_RECORDS_CAP records); same date of birth and one name; same date
    of birth and the names' initials (both names misspelt); names swapped; a shared associate and
    a similar name."""
    names = "l.forename = r.forename AND l.surname = r.surname"
    cap = f"l.name_records <= {NAME_RECORDS_CAP} AND r.name_records <= {NAME_RECORDS_CAP}"
    return [
        CustomRule(f"{names} AND year(l.dob) = year(r.dob)"),
        CustomRule(f"{names} AND strftime(l.dob, '%m-%d') = strftime(r.dob, '%m-%d')"),
        CustomRule(f"{names} AND (l.dob IS NULL OR r.dob IS NULL) AND {cap}"),
        block_on("dob", "surname"),
        block_on("dob", "forename"),
        CustomRule("l.dob = r.dob AND l.forename = r.surname"),
        CustomRule("l.dob = r.dob AND l.forename[1] = r.forename[1] AND l.surname[1] = r.surname[1]"),
        CustomRule("l.forename = r.surname AND l.surname = r.forename"),
        CustomRule(
            "l.associates = r.associates AND (l.forename[1] = r.forename[1] "
            "OR l.surname[1] = r.surname[1])",
            arrays_to_explode=["associates"],
        ),
    ]


def _name(column: str, other: str, middle: list) -> cl.CustomComparison:
    """A name field: missing, exact (term-frequency adjusted), swapped with the other field,
    the field's own `middle` levels, Jaro-Winkler >= 0.88, anything else."""
    return cl.CustomComparison(
        output_column_name=column,
        comparison_description=column,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column, term_frequency_adjustments=True),
            cll.ColumnsReversedLevel(column, other, symmetrical=True).configure(
                label_for_charts=f"swapped with {other}"),
            *middle,
            cll.JaroWinklerLevel(column, 0.88),
            cll.ElseLevel(),
        ],
    )


def _forename() -> cl.CustomComparison:
    return _name("forename", "surname", [
        cll.ArrayIntersectLevel("forename_names", 1).configure(label_for_charts="nickname"),
        cll.DamerauLevenshteinLevel("forename", 1)])


def _surname() -> cl.CustomComparison:
    return _name("surname", "forename", [
        cll.DamerauLevenshteinLevel("surname", 1),
        cll.ArrayIntersectLevel("surname_parts", 1).configure(label_for_charts="shares a part")])


def _dob() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="dob",
        comparison_description="date of birth",
        comparison_levels=[
            cll.NullLevel("dob"),
            cll.ExactMatchLevel("dob"),
            cll.Or(
                cll.DamerauLevenshteinLevel("dob_text", 1),
                cll.CustomLevel("dob_swapped_l = dob_r OR dob_swapped_r = dob_l"),
            ).configure(label_for_charts="one edit or day/month swapped"),
            cll.AbsoluteDateDifferenceLevel("dob", input_is_string=False, threshold=1,
                                            metric="year").configure(
                label_for_charts="within a year"),
            cll.ElseLevel(),
        ],
    )


def comparisons() -> list:
    return [
        _forename(),
        _surname(),
        _dob(),
        cl.ExactMatch("gender"),
        cl.ExactMatch("pnc_id"),
        cl.CustomComparison(
            output_column_name="associates",
            comparison_description="shared associate",
            comparison_levels=[
                cll.NullLevel("associates"),
                cll.ArrayIntersectLevel("associates", 1).configure(
                    label_for_charts="shares an associate"),
                cll.ElseLevel(),
            ],
        ),
    ]


# Fields shown in the review queue (one per comparison), in this order.
FIELDS = ("forename", "surname", "dob", "gender", "pnc_id", "associates")


def settings_creator() -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="person_id",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=blocking_rules(),
        probability_two_random_records_match=PRIOR_DEFAULT,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=True,  # the gamma_ levels, for the review queue
        max_iterations=20,
        em_convergence=1e-4,
    )


# Training: u from random pairs (a deterministic hash sample), the prior from deterministic rules,
# m from the pairs of nominals that share a PNC id (known to be one human: how often a true
# duplicate's names and date of birth differ), then refined by expectation maximisation on
# pairs with the same date of birth (which brings in the duplicates without a PNC id). The PNC
# comparison itself cannot be learnt from PNC pairs: its m is fixed (a human's nominals rarely
# carry two PNC ids; the clustering forbids it anyway).
U_MAX_PAIRS = 5e5
U_SEED = 20261031
EM_MAX_PAIRS = 5e5
PRIOR_RULES = ("pnc_id", ("forename", "surname", "dob"))
PRIOR_RECALL = 0.7
EM_BLOCKINGS = (("dob",),)
PNC_M = (0.999, 0.001)  # m of "same PNC id" and "different PNC ids"
PRIOR_DEFAULT = 1e-5


def _fix_pnc_m(linker: Any) -> None:
    for comparison in linker._settings_obj.comparisons:
        if comparison.output_column_name == "pnc_id":
            levels = [lv for lv in comparison.comparison_levels if not lv.is_null_level]
            for level, m in zip(levels, PNC_M):
                level.m_probability = m


def train(linker: Any) -> list[str]:
    """Estimate the model's parameters on the linker's data (deterministic for the same data).
    A step the data is too small for (no pairs to learn from) is skipped, keeping the values
    it would have refined; the skipped steps are returned."""
    from splink.internals.exceptions import SplinkException

    training = linker.training
    steps = [
        ("u", lambda: training.estimate_u_using_random_sampling(
            max_pairs=U_MAX_PAIRS, seed=U_SEED, num_chunks=1, min_count_per_level=None)),
        ("m_from_pnc", lambda: training.estimate_m_from_label_column("pnc_id")),
    ] + [(f"em_{'_'.join(k)}", lambda k=k: training.estimate_parameters_using_expectation_maximisation(
        block_on(*k), max_pairs=EM_MAX_PAIRS)) for k in EM_BLOCKINGS]
    skipped = []
    for name, step in steps:
        before = copy.deepcopy(linker._settings_obj.core_model_settings)
        try:
            step()
        except (SplinkException, ValueError, ZeroDivisionError):
            linker._settings_obj.core_model_settings = before
            skipped.append(name)
        _fix_pnc_m(linker)
    if not estimate_prior(linker):
        skipped.append("prior")
    return skipped


def estimate_prior(linker: Any) -> bool:
    """The prior from deterministic rules on the linker's data (False: none matched, the
    default kept)."""
    from splink.internals.exceptions import SplinkException

    try:
        linker.training.estimate_probability_two_random_records_match(
            [block_on(*r) if isinstance(r, tuple) else block_on(r) for r in PRIOR_RULES],
            recall=PRIOR_RECALL)
    except (SplinkException, ValueError, ZeroDivisionError):
        pass
    prior = linker._settings_obj._probability_two_random_records_match
    if 0 < prior < 1:
        return True
    linker._settings_obj._probability_two_random_records_match = PRIOR_DEFAULT
    return False
