"""The scaling study: how do quality and cost of projection scale with parallel data?

A labelled source corpus and its translations are aligned once (each prefix timed), the
source entities are projected with each method, and a target-language NER model is
trained on the projections of the first N pairs, over several seeds at every N, and
scored on a gold target test set. The default model is a head on frozen multilingual
encoder features (:mod:`xner.training.head_trainer`): the features of every translated
sentence are extracted once (in cached blocks, each timed) and gathered for each
training set, so a training costs only the head. ``trainer="spacy"`` trains spaCy's CNN
instead.

Curves:

- one per projection method (``heuristic``, ``ngram``);
- ``ngram-t0.5`` …: the n-gram projections of the first N pairs without the sentences
  whose weakest chosen candidate scores below ``t`` (an unprojected entity scores 0), so
  the filter spends the same alignment on fewer, cleaner sentences; every model is also
  scored on the target dev set, where the threshold is chosen (never on test);
- ``ngram+source`` (the filtered method's name + ``+source``): the projections of the first
  N pairs together with the N labelled source sentences they were projected from — the
  usual translate-train set-up, one multilingual model trained on both languages;
- ``gold``: gold target training sentences (the upper bound);
- ``transfer``: the head trained on the gold source corpus and applied to the target
  test set as it is (zero-shot model transfer), drawn as a horizontal line.

Every row records the seconds of each stage (tag, align, project, features, train) so that
F1 can be set against compute. Inputs are files or hub datasets (``hub:NAME[/CONFIG]:SPLIT``,
e.g. ``hub:wikiann/es:test``).

For a language nobody annotated, the source can be the English side of an untagged parallel
corpus, one sentence a line (``source_ner``; read as ``tokenize`` says): it is tagged by that
NER prefix by prefix (each timed, cached), and the ``transfer`` line is then that NER applied
to the target test set zero-shot (the head is multilingual), no model trained. A label set
(``labels``, :mod:`xner.label_sets`) puts everything in the target's labels: source entities,
projections, gold training data and the test and dev sets, which are then scored on those
labels only. Words are compared in one Unicode form (:func:`xner.text.matching_form`).

The stages are modules of their own: :mod:`~xner.scaling.config` (what to sweep, what a row
records), :mod:`~xner.scaling.data` (inputs), :mod:`~xner.scaling.projection`,
:mod:`~xner.scaling.features`, :mod:`~xner.scaling.training`, :mod:`~xner.scaling.sweep`
(the study, end to end) and :mod:`~xner.scaling.report` (CSV, tables, plots).
"""

from xner.io.datasets import read_labelled
from xner.scaling.config import ALL_LAYERS, DEFAULT_GRID, DEFAULT_THRESHOLDS, SweepConfig, SweepRow
from xner.scaling.data import cached_tags, head_on_features, read_source, tag_from_bank
from xner.scaling.features import FeatureBank, JoinedBank
from xner.scaling.projection import (Projected, Projections, cached_alignments, kept_by_score, project_prefixes,
                                     weakest_choice)
from xner.scaling.report import (gaps, gaps_markdown, merge_csvs, plot, read_csv, summary, summary_markdown,
                                 thresholds_on_dev, write_csv, write_report)
from xner.scaling.sweep import curve_name, run_sweep
from xner.scaling.training import (HeadRunner, Outcome, Scores, SpacyRunner, Training, TrainingSet,
                                   zero_shot_transfer)

__all__ = [
    "ALL_LAYERS", "DEFAULT_GRID", "DEFAULT_THRESHOLDS", "FeatureBank", "HeadRunner", "JoinedBank", "Outcome",
    "Projected", "Projections", "Scores", "SpacyRunner", "SweepConfig", "SweepRow", "Training", "TrainingSet",
    "cached_alignments", "cached_tags", "curve_name", "gaps", "gaps_markdown", "head_on_features", "kept_by_score",
    "merge_csvs", "plot", "project_prefixes", "read_csv", "read_labelled", "read_source", "summary",
    "summary_markdown", "tag_from_bank", "thresholds_on_dev", "weakest_choice", "write_csv", "write_report",
    "zero_shot_transfer",
]
