"""A reduced scaling sweep on the real data, end to end (the full sweep is `xner scale`)."""

from dataclasses import replace

from xner.alignment.embedding import EmbeddingAligner
from xner.evaluation.metrics import evaluate
from xner.io.conll import read_conll
from xner.scaling import SweepConfig, read_csv, run_sweep, summary
from xner.training.spacy_trainer import blank_pipeline, predict_spacy


def test_reduced_sweep_trains_models_that_beat_an_untrained_one(shared_data, tmp_path):
    config = replace(SweepConfig.from_shared(shared_data), grid=(300, 1000), methods=("ngram",), seeds=(0,),
                     gold_train=None, epochs=5, test_limit=500)
    rows = run_sweep(config, EmbeddingAligner(), tmp_path, log=lambda _: None)
    # the filter keeps fewer than 1000 of the first 1000 projections, so that curve stops at 300
    assert {(r.curve, r.n) for r in rows} == {("ngram", 300), ("ngram", 1000), ("ngram-filtered", 300)}
    assert read_csv(tmp_path / "scaling.csv") == rows
    assert all((tmp_path / name).is_file() for name in ("f1_vs_n.png", "train_time_vs_n.png",
                                                        "projection_time_vs_n.png", "f1_per_hour.png"))
    thousand = next(r for r in rows if r.curve == "ngram" and r.n == 1000)
    # an untrained model (initialised with the labels, never updated) finds nothing useful
    test = read_conll(config.test)[: config.test_limit]
    untrained = blank_pipeline("es")
    ner = untrained.add_pipe("ner")
    for label in ("PER", "ORG", "LOC", "MISC"):
        ner.add_label(label)
    untrained.initialize()
    baseline = evaluate([s.entities for s in test], predict_spacy(untrained, [s.words for s in test]),
                        [len(s.words) for s in test]).overall.f1
    assert thousand.f1 > 0.35 and thousand.f1 > baseline + 0.25, (thousand.f1, baseline)
    assert thousand.projection_s > next(r for r in rows if r.curve == "ngram" and r.n == 300).projection_s
    assert len(summary(rows)) == 3
