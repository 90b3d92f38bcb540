"""`matac synth`: a realistic synthetic police extract generator.

Writes extracts in the input contract of `/work/shared/domain.md` (incidents, persons,
involvements) plus a ground truth under `_truth/`. Everything is synthetic: people get
realistic British names drawn with their real frequencies (so namesakes exist; see `names`),
and PNC ids are computed, not sampled. `pipeline.identity.evaluation.harsh` makes a harsher
copy (nicknames, swapped fields, hyphenated or changed surnames, missing dates of birth).

How the data is made (all vectorised with numpy, one block of incidents at a time), by module:

* careers: a mixture of one-off, occasional and chronic offenders; counts heavy tailed,
  spread over ``years`` years up to ``as_of`` with a slight growth in volume.
* perpetrators: relationships ("dyads") lasting months; serial perpetrators move on to new
  partners; some victims are re-used by another perpetrator of the same kind.
* incidents: offences from the gravity table, escalating for chronic offenders; DASH follows
  severity; about 40% non-crime; revisions; chronological incident ids.
* involvements: suspect/offender, victim (+ occasional child victim under 16), witnesses,
  'other' roles and co-suspects. humans: their attributes and the truth labels.
* identities: duplicate nominal records and PNC ids (never shared by two humans).
* block: the steps above for one block, in the order of their random draws.
* extracts, tables: monthly extracts re-exporting the last 12 months, with revised incidents
  in their earlier version in the earlier extract; Arrow tables in the contract.
* defects: the dirty-data injection, listed in ``_truth/defects.csv``.
* writer: CSV/Parquet files written in the background. generate: `generate(...)`. cli:
  `register(subparsers)` for `matac synth`.

Determinism: every random number comes from ``numpy.random.Generator(PCG64(...))`` seeded
from (seed, block, stream); nothing depends on the clock, so the same arguments give
byte-identical files.
"""
