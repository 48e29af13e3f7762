"""The scaling study end to end on a few sentences, with a tiny local encoder (the full
study on the shared data is `xner scale`)."""

import math
from dataclasses import dataclass, field, replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.strategies import sentence_pairs
from tests.tiny_models import build_tiny_bert
from xner.cli.main import app
from xner.errors import ConfigError
from xner.io.conll import write_conll
from xner.projection.base import build_projector
from xner.scaling import (SweepConfig, gaps, kept_by_score, read_csv, read_labelled, run_sweep, summary,
                          thresholds_on_dev, weakest_choice)
from xner.types import Alignment, Entity, Sentence, SentencePair

NAMES = [("Angela", "Merkel"), ("Angela",), ("Merkel",)]
PLACES = ["Paris", "Strasbourg", "Siemens"]
DAYS = ["Monday", "Friday", "Sunday", "today"]


def corpus(n, verb="visited"):
    """``NAME VERB PLACE on DAY .``: a person (one or two words) and a place; no two blocks of
    nine sentences alike (a block met twice would be read back from the cache)."""
    sentences = []
    for k in range(n):
        name = NAMES[k % 3]
        words = (*name, verb, PLACES[(k // 3) % 3], "on", DAYS[k % 4], ".")
        sentences.append(Sentence(words, (Entity(0, len(name), "PER"), Entity(len(name) + 1, len(name) + 2, "LOC"))))
    return sentences


@dataclass(frozen=True)
class WordAligner:
    """Links identical words, except those in ``unlinked``: 'Strasbourg' is never projected
    (its sentences score 0) and 'Merkel' is not linked, so a two-word name projects onto a
    shorter span with a lower score."""

    unlinked: tuple[str, ...] = ("Strasbourg", "Merkel")
    name: str = "word"
    calls: list | None = field(default=None, repr=False, compare=False)

    def align(self, pairs):
        if self.calls is not None:
            self.calls.append(len(pairs))
        return [Alignment.of((i, j) for i, s in enumerate(src) for j, t in enumerate(tgt)
                             if s == t and s not in self.unlinked) for src, tgt in pairs]


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """Tiny models run fastest on one thread, and the machine is shared."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OMP_NUM_THREADS", "1")
        yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    encoder = build_tiny_bert(folder / "encoder", layers=2)
    write_conll(folder / "en.conll", corpus(18))
    (folder / "es.txt").write_text("".join(" ".join(s.words) + "\n" for s in corpus(18, "visitó")))
    write_conll(folder / "es.train.conll", corpus(18, "visitó"))
    write_conll(folder / "es.dev.conll", corpus(6, "visitó"))
    write_conll(folder / "es.test.conll", corpus(10, "visitó")[1:])  # not the first block of translations
    return folder, encoder


def config_for(files, cache, **overrides):
    folder, encoder = files
    settings = dict(source=folder / "en.conll", translations=folder / "es.txt", test=folder / "es.test.conll",
                    gold_train=folder / "es.train.conll", dev=folder / "es.dev.conll", grid=(9, 18),
                    thresholds=(0.5, 0.9), trainer=f"head:{encoder}", layers=(1, 2), feature_layers=(1, 2),
                    epochs=20, cache=cache)
    return SweepConfig(**{**settings, **overrides})


@pytest.fixture(scope="module")
def swept(files, tmp_path_factory):
    cache, out = tmp_path_factory.mktemp("cache"), tmp_path_factory.mktemp("out")
    config = config_for(files, cache)
    rows = run_sweep(config, WordAligner(), out, log=lambda _: None)
    return config, rows, out, cache


def test_every_curve_has_every_seed_at_every_n(swept):
    config, rows, out, _ = swept
    seeds = {}
    for row in rows:
        seeds.setdefault((row.curve, row.n), []).append(row.seed)
    expected = {(c, n) for c in ("heuristic", "ngram", "ngram-t0.5", "ngram-t0.9", "ngram+source", "gold")
                for n in (9, 18)}
    assert set(seeds) == expected | {("transfer", 18)}
    assert all(sorted(s) == [0, 1, 2] for s in seeds.values())
    assert read_csv(out / "scaling.csv") == rows
    for name in ("f1_vs_n.png", "f1_vs_compute.png", "stage_time_vs_n.png", "f1_per_hour.png", "summary.md"):
        assert (out / name).stat().st_size > 0, name
    # the head learns this toy language: gold-trained heads find the entities of the test set
    gold = [r for r in rows if r.curve == "gold" and r.n == 18]
    assert min(r.f1 for r in gold) > 0.5 and all(0 <= r.dev_f1 <= 1 for r in gold)


def test_stage_times_are_recorded(swept):
    _, rows, _, _ = swept
    for row in rows:
        assert row.train_s > 0 and row.features_s > 0, row
        if row.curve in ("gold", "transfer"):
            assert row.align_s == row.project_s == 0
        else:
            assert row.align_s > 0 and row.project_s > 0, row
    ngram = {r.n: r for r in rows if r.curve == "ngram" and r.seed == 0}
    assert ngram[9].align_s < ngram[18].align_s  # cumulative over the prefix
    assert ngram[9].features_s < ngram[18].features_s
    table = summary(rows)
    assert all(e["cost_s"] > 0 for e in table)
    assert [e["f1_per_hour"] is None for e in table if e["curve"] == "ngram"][0]  # nothing before the first N


def test_the_filter_drops_what_it_should(swept, files):
    """Independently of the sweep's code: project the pairs, read each entity's chosen candidates."""
    config, rows, _, _ = swept
    folder, _ = files
    source, target = corpus(18), corpus(18, "visitó")
    projector = build_projector("ngram", trim_stop_words="es")
    keep = {0.5: [], 0.9: []}
    for s, t in zip(source, target):
        pair = SentencePair(s.words, t.words, s.entities, alignment=WordAligner().align([(s.words, t.words)])[0])
        result = projector.project(pair)
        for threshold in keep:
            keep[threshold].append(all(any(c.chosen and c.scores["alignment"] >= threshold for c in result.candidates_for(i))
                                       for i in range(len(s.entities))))
    for threshold, kept in keep.items():
        for n in (9, 18):
            trained = {r.sentences for r in rows if r.curve == f"ngram-t{threshold:g}" and r.n == n}
            assert trained == {sum(kept[:n])}, (threshold, n)
    assert sum(keep[0.9]) < sum(keep[0.5]) < 18  # the thresholds bite, differently
    unfiltered = {r.sentences for r in rows if r.curve == "ngram" and r.n == 18}
    assert unfiltered == {18}
    # the filtered curves pay for the features of the kept sentences only
    row = next(r for r in rows if r.curve == "ngram-t0.9" and r.n == 18)
    full = next(r for r in rows if r.curve == "ngram" and r.n == 18)
    assert row.align_s == full.align_s and row.features_s == pytest.approx(full.features_s * row.sentences / 18)


def test_threshold_is_chosen_on_dev(swept):
    _, rows, _, _ = swept
    table = summary(rows)
    chosen = thresholds_on_dev(table)
    assert set(chosen) == {9, 18}
    for n, entry in chosen.items():
        candidates = [e for e in table if e["n"] == n and e["curve"].startswith("ngram-t")]
        assert entry["dev_f1"] == max(e["dev_f1"] for e in candidates)


def test_model_transfer_line(swept):
    _, rows, _, _ = swept
    transfer = [r for r in rows if r.curve == "transfer"]
    assert len(transfer) == 3 and all(r.sentences == 18 and 0 <= r.f1 <= 1 for r in transfer)
    # the same English-trained head, zero-shot: the toy 'Spanish' differs by one word, so it transfers well
    assert min(r.f1 for r in transfer) > 0.5
    table = gaps(rows)  # the gap to gold and to transfer at every N, as summary.md reports it
    assert [g["n"] for g in table] == [9, 18] and all(g["gold_n"] == g["n"] for g in table)
    for g in table:
        ngram = [r.f1 for r in rows if r.curve == "ngram" and r.n == g["n"]]
        assert g["f1"] == pytest.approx(sum(ngram) / 3)
        assert g["transfer_f1"] == pytest.approx(sum(r.f1 for r in transfer) / 3)
        assert g["minutes"] * 60 == pytest.approx(ngram_cost(rows, g["n"]))
    assert "| 18 |" in (swept[2] / "summary.md").read_text()


def ngram_cost(rows, n):
    chosen = [r for r in rows if r.curve == "ngram" and r.n == n]
    return chosen[0].align_s + chosen[0].project_s + chosen[0].features_s + sum(r.train_s for r in chosen) / len(chosen)


def test_a_rerun_reads_alignments_and_features_from_the_cache(swept, files, tmp_path, monkeypatch):
    from xner.ner import features as features_module

    config, rows, _, cache = swept
    monkeypatch.setattr(features_module, "load_layer_encoder", lambda *a: pytest.fail("features were not cached"))
    calls = []
    again = run_sweep(replace(config, seeds=(0,), thresholds=(0.5,), transfer=False, gold_train=None),
                      WordAligner(calls=calls), tmp_path, log=lambda _: None)
    assert calls == []
    first = {(r.curve, r.n): r for r in rows if r.seed == 0}
    for row in again:  # the recorded extraction and alignment times, not the time to read them back
        assert row.align_s == first[row.curve, row.n].align_s
        # the feature cache records its seconds rounded to 0.1 s, one record per block
        assert row.features_s == pytest.approx(first[row.curve, row.n].features_s, abs=0.1)
        assert row.f1 == first[row.curve, row.n].f1  # same features, same seed: the same model


def test_resume_trains_only_the_new_points(files, tmp_path, monkeypatch):
    from xner import scaling

    config = config_for(files, tmp_path / "cache", grid=(6, 12), seeds=(0,), methods=("ngram",), filtered_method=None,
                        gold_train=None, transfer=False, epochs=2)
    first = run_sweep(config, WordAligner(), tmp_path / "out", log=lambda _: None)
    trained = []
    original = scaling.HeadRunner.run
    monkeypatch.setattr(scaling.HeadRunner, "run", lambda self, s, b, indices, seed, warm=False: trained.append(len(indices))
                        or original(self, s, b, indices, seed))
    rows = run_sweep(replace(config, grid=(6, 12, 18)), WordAligner(), tmp_path / "out", log=lambda _: None,
                     resume=True)
    assert trained == [18] and rows[:2] == first and [r.n for r in rows] == [6, 12, 18]


def test_a_sweep_split_across_processes_merges_back(swept, files, tmp_path):
    config, rows, _, cache = swept
    parts = []
    for k, curves in enumerate((("gold",), ("ngram", "transfer"))):
        part = run_sweep(replace(config, seeds=(0,), curves=curves), WordAligner(), tmp_path / str(k), log=lambda _: None)
        assert {r.curve for r in part} == set(curves)
        parts.append(tmp_path / str(k) / "scaling.csv")
    result = CliRunner().invoke(app, ["scale", "--merge", str(parts[0]), "--merge", str(parts[1]),
                                      "--out-dir", str(tmp_path / "all")])
    assert result.exit_code == 0, result.output
    merged = read_csv(tmp_path / "all" / "scaling.csv")
    assert {(r.curve, r.n) for r in merged} == {("gold", 9), ("gold", 18), ("ngram", 9), ("ngram", 18), ("transfer", 18)}
    assert (tmp_path / "all" / "f1_vs_n.png").is_file() and "transfer" in (tmp_path / "all" / "summary.md").read_text()


def test_spacy_trainer_stays_an_option(files, tmp_path):
    config = config_for(files, tmp_path / "cache", trainer="spacy", grid=(18,), seeds=(0,), thresholds=(0.5,),
                        epochs=2)
    rows = run_sweep(config, WordAligner(), tmp_path / "out", log=lambda _: None)
    assert {r.curve for r in rows} == {"heuristic", "ngram", "ngram-t0.5", "gold"}  # no transfer line for spaCy
    assert all(r.features_s == 0 and r.train_s > 0 for r in rows)


@settings(max_examples=60, deadline=None)
@given(pairs=st.lists(sentence_pairs(max_words=8), min_size=1, max_size=6), threshold=st.floats(0.0, 1.0, exclude_min=True))
def test_kept_sentences_have_every_entity_chosen_at_or_above_t(pairs, threshold):
    projector = build_projector("ngram")
    results = [projector.project(p) for p in pairs]
    scores = [weakest_choice(r, len(p.source_entities)) for p, r in zip(pairs, results)]
    kept = set(kept_by_score(scores, threshold))
    for k, (pair, result) in enumerate(zip(pairs, results)):
        chosen = [[c.total for c in result.candidates if c.chosen and c.entity_index == i]
                  for i in range(len(pair.source_entities))]
        ok = all(any(total >= threshold for total in totals) for totals in chosen)
        assert (k in kept) == ok
        if not pair.source_entities:
            assert math.isinf(scores[k])  # nothing projected, nothing to doubt: kept


def test_an_unprojected_entity_scores_zero():
    pair = SentencePair(("Angela", "visited", "Paris", "."), ("Angela", "visitó", "Lutecia", "."),
                        (Entity(0, 1, "PER"), Entity(2, 3, "LOC")), alignment=Alignment.of([(0, 0)]))
    result = build_projector("ngram").project(pair)
    assert weakest_choice(result, 2) == 0.0
    assert kept_by_score([0.0, 1.0, math.inf], 0.01) == [1, 2]


def test_hub_datasets_fail_clearly_offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    with pytest.raises(ConfigError, match="hub dataset 'wikiann/es:test'.*CoNLL files"):
        read_labelled("hub:wikiann/es:test")
    with pytest.raises(ConfigError, match="hub:NAME"):
        read_labelled("hub:wikiann")


def test_cli_builds_the_config(files, tmp_path, monkeypatch):
    import xner.scaling

    folder, encoder = files
    seen = {}
    monkeypatch.setattr(xner.scaling, "run_sweep", lambda config, aligner, out, log, resume: seen.setdefault("c", config) and [])
    result = CliRunner().invoke(app, ["scale", "--data", str(folder), "--source", str(folder / "en.conll"),
                                      "--translations", str(folder / "es.txt"), "--grid", "6,12", "--seeds", "0,1,2",
                                      "--thresholds", "0.6", "--gold-train", "none", "--trainer", f"head:{encoder}",
                                      "--layers", "1-2", "--out-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    config = seen["c"]
    assert (config.grid, config.seeds, config.thresholds, config.gold_train) == ((6, 12), (0, 1, 2), (0.6,), None)
    assert config.trainer == f"head:{encoder}" and config.layers == (1, 2) and config.head == "bilstm"
    bad = CliRunner().invoke(app, ["scale", "--grid", "1000,lots"])
    assert bad.exit_code != 0 and "--grid" in bad.output


def test_projections_with_their_source_sentences(files, tmp_path, monkeypatch):
    """``ngram+source``: the N projected pairs and the N source sentences they came from,
    each sentence with its own features, costed as both extractions."""
    from xner import scaling

    config = config_for(files, tmp_path / "cache", grid=(6, 12), seeds=(0,), methods=("ngram",), thresholds=(),
                        gold_train=None, transfer=False, epochs=2)
    seen = {}
    original = scaling.HeadRunner.run

    def spy(self, sentences, bank, indices, seed, warm=False):
        chosen = [k for k in indices if sentences[k].words]
        joined = isinstance(bank, scaling.JoinedBank)
        seen[joined, len(indices)] = ([sentences[k] for k in chosen], bank.gather(chosen, self.config.layers))
        return original(self, sentences, bank, indices, seed, warm)

    monkeypatch.setattr(scaling.HeadRunner, "run", spy)
    rows = run_sweep(config, WordAligner(), tmp_path / "out", log=lambda _: None)
    joined = {r.n: r for r in rows if r.curve == "ngram+source"}
    plain = {r.n: r for r in rows if r.curve == "ngram"}
    assert set(joined) == {6, 12}
    source = read_labelled(config.source)
    for n in (6, 12):
        assert joined[n].sentences == 2 * n and plain[n].sentences == n
        sentences, features = seen[True, 2 * n]
        assert [s.words for s in sentences[n:]] == [s.words for s in source[:n]]
        assert [s.entities for s in sentences[n:]] == [s.entities for s in source[:n]]  # gold source entities
        silver_sentences, silver_features = seen[False, n]
        assert sentences[:n] == silver_sentences
        assert (features.vectors[: silver_features.offsets[-1]] == silver_features.vectors).all()
        assert len(features.offsets) == 2 * n + 1
        for k in range(2 * n):  # each sentence's features have one row per word
            assert len(features.sentence(k)) == len(sentences[k].words)
        assert joined[n].features_s > plain[n].features_s and joined[n].align_s == plain[n].align_s
    # the source half's features are the source sentences' own (the English words, not the translations)
    sentences, features = seen[True, 24]
    english = scaling.FeatureBank([s.words for s in source], config.encoder, config.feature_layers, config.cache,
                                  log=lambda _: None).gather(range(12), config.layers)
    assert (features.vectors[features.offsets[12]:] == english.vectors).all()


def test_heads_trained_in_forked_processes_are_the_same_models(swept, tmp_path):
    """``workers=2``: the same rows, in the study's order, as one process training them one by one."""
    config, rows, _, _ = swept
    parallel = run_sweep(replace(config, workers=2, seeds=(0, 1)), WordAligner(), tmp_path, log=lambda _: None)
    alone = [r for r in rows if r.seed in (0, 1)]
    assert [(r.curve, r.n, r.seed) for r in parallel] == [(r.curve, r.n, r.seed) for r in alone]
    assert [(r.f1, r.dev_f1, r.sentences) for r in parallel] == [(r.f1, r.dev_f1, r.sentences) for r in alone]
    assert read_csv(tmp_path / "scaling.csv") == parallel
    with pytest.raises(ConfigError, match="workers 0"):
        replace(config, workers=0)


@dataclass(frozen=True)
class FixedAligner:
    links: list
    name: str = "fixed"

    def align(self, pairs):
        return self.links[: len(pairs)]


def test_derived_forms_follow_the_target_guidelines(tmp_path):
    """The default study leaves derived forms unlabelled, as CoNLL-2002 Spanish does."""
    from xner.scaling import project_prefixes

    source = [Sentence(("the", "Spanish", "minister", "in", "Madrid"), (Entity(1, 2, "MISC"), Entity(4, 5, "LOC")))]
    translations = [("el", "ministro", "español", "en", "Madrid")]
    aligner = FixedAligner([Alignment.of([(0, 0), (1, 2), (2, 1), (3, 3), (4, 4)])])
    spanish = SweepConfig(source="s", translations="t", test="x", grid=(1,), methods=("ngram",), cache=tmp_path)
    german = replace(spanish, derived_labels=None)
    for config, expected in ((spanish, (Entity(4, 5, "LOC"),)), (german, (Entity(2, 3, "MISC"), Entity(4, 5, "LOC")))):
        projected = project_prefixes(config, source, translations, aligner, log=lambda _: None)
        assert projected.methods["ngram"].sentences[0].entities == expected
    with pytest.raises(ConfigError, match="not SOURCE=TARGET"):
        replace(spanish, derived_labels="LOC")


def test_a_derived_form_left_unlabelled_is_not_an_unprojected_entity():
    """The filter drops sentences whose projection is doubtful; 'español' left unlabelled
    because the target guidelines say so is not doubt."""
    pair = SentencePair(("the", "Spanish", "minister"), ("el", "ministro", "español"), (Entity(1, 2, "MISC"),),
                        alignment=Alignment.of([(0, 0), (1, 2), (2, 1)]))
    for method in ("ngram", "heuristic"):
        unlabelled = build_projector(method, derived_labels="MISC=O").project(pair)
        assert unlabelled.entities == ()
        assert weakest_choice(unlabelled, 1) == weakest_choice(build_projector(method).project(pair), 1) > 0
    lost = SentencePair(pair.source_words, pair.target_words, pair.source_entities, alignment=Alignment.of([(0, 0)]))
    assert weakest_choice(build_projector("ngram", derived_labels="MISC=O").project(lost), 1) == 0


class RuleTagger:
    """Names are persons, the places locations, the days MISC (a label MasakhaNER lacks)."""

    name = "rule"
    calls: list = []

    def __init__(self, model: str):
        self.model = model

    def tag(self, sentences):
        from xner.ner.base import TaggedSentence

        RuleTagger.calls.append(len(sentences))
        people = {w for name in NAMES for w in name}
        labels = {**{w: "PER" for w in people}, **{w: "LOC" for w in PLACES}, **{w: "MISC" for w in DAYS[:3]}}
        tagged = []
        for words in sentences:
            entities, k = [], 0
            while k < len(words):
                end = k + 1
                while labels.get(words[k]) == "PER" and end < len(words) and labels.get(words[end]) == "PER":
                    end += 1
                if words[k] in labels:
                    entities.append(Entity(k, end, labels[words[k]]))
                k = end
            tagged.append(TaggedSentence(tuple(entities)))
        return tagged


@pytest.fixture
def rule_tagger(monkeypatch):
    from xner.ner.base import taggers

    monkeypatch.setitem(taggers._factories, "rule", RuleTagger)
    RuleTagger.calls = []
    return "rule:names"


def raw_lines(sentences):
    """The sentences as raw text: the full stop on the last word ('... on Monday.')."""
    return "".join(" ".join(s.words[:-1]) + s.words[-1] + "\n" for s in sentences)


def test_a_sweep_from_an_untagged_raw_parallel_corpus(files, tmp_path, rule_tagger):
    """The English side tagged by the NER, then the study as with a labelled source: the same
    projections, the same models, the same scores; the tagging timed; model transfer is the NER
    itself on the target test set."""
    folder, _ = files
    (tmp_path / "en.txt").write_text(raw_lines(corpus(18)), encoding="utf-8")
    (tmp_path / "es.txt").write_text(raw_lines(corpus(18, "visitó")), encoding="utf-8")
    common = dict(grid=(9, 18), seeds=(0,), methods=("ngram",), thresholds=(), gold_train=None, with_source=False,
                  epochs=3, labels="PER,ORG,LOC")
    labelled = run_sweep(config_for(files, tmp_path / "cache", transfer=False, **common), WordAligner(), tmp_path / "a",
                         log=lambda _: None)
    untagged = config_for(files, tmp_path / "cache", source=tmp_path / "en.txt", translations=tmp_path / "es.txt",
                          source_ner=rule_tagger, tokenize="auto", **common)
    rows = run_sweep(untagged, WordAligner(), tmp_path / "b", log=lambda _: None)
    by_curve = {(r.curve, r.n): r for r in rows}
    for row in labelled:
        assert by_curve[row.curve, row.n].f1 == row.f1, row.curve
        assert by_curve[row.curve, row.n].tag_s > 0 and row.tag_s == 0.0
    assert by_curve["ngram", 18].tag_s >= by_curve["ngram", 9].tag_s
    transfer = by_curve["transfer", 18]
    assert (transfer.f1, transfer.sentences, transfer.train_s) == (1.0, 0, 0.0)  # MISC (the days) left out
    assert "| tag s |" in (tmp_path / "b" / "summary.md").read_text()
    # a second run reads the tags back from the cache: the NER tags only the test set again
    RuleTagger.calls = []
    run_sweep(untagged, WordAligner(), tmp_path / "c", log=lambda _: None)
    assert RuleTagger.calls == [9]
    # resumed, nothing is tagged again: not even the test set, whose zero-shot line is read back
    RuleTagger.calls = []
    resumed = run_sweep(untagged, WordAligner(), tmp_path / "c", log=lambda _: None, resume=True)
    assert RuleTagger.calls == [] and resumed == read_csv(tmp_path / "c" / "scaling.csv")
    rows = run_sweep(replace(untagged, warm=True), WordAligner(), tmp_path / "e", log=lambda _: None)
    assert not any(r.curve.endswith("+warm") for r in rows)  # a rule tagger is no head to start from
    # without the label set the days are MISC: the zero-shot line pays for it
    plain = run_sweep(replace(untagged, labels=None, methods=("ngram",)), WordAligner(), tmp_path / "d",
                      log=lambda _: None)
    assert next(r for r in plain if r.curve == "transfer").precision < 1.0


def test_scale_takes_an_untagged_source_from_the_command_line(files, tmp_path, monkeypatch):
    import xner.scaling

    folder, encoder = files
    (tmp_path / "en.txt").write_text(raw_lines(corpus(18)), encoding="utf-8")
    seen = {}
    monkeypatch.setattr(xner.scaling, "run_sweep", lambda config, aligner, out, log, resume: seen.setdefault("c", config) and [])
    result = CliRunner().invoke(app, ["scale", "--source", str(tmp_path / "en.txt"), "--translations",
                                      str(folder / "es.txt"), "--ner", "head:DIR", "--labels", "masakhaner",
                                      "--grid", "500,all", "--out-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    config = seen["c"]
    assert (config.source_ner, config.labels, config.tokenize) == ("head:DIR", "masakhaner", "auto")
    assert config.grid[0] == 500 and config.grid[1] >= 2**31 - 1
    labelled = CliRunner().invoke(app, ["scale", "--source", str(folder / "en.conll"), "--ner", "head:DIR"])
    assert labelled.exit_code != 0 and "--ner tags an untagged --source" in labelled.output


def test_a_head_as_source_ner_tags_from_the_features_the_study_extracts(files, tmp_path):
    """A head on the study's encoder tags the source (and the test set, for the transfer line)
    from the features extracted anyway: what it finds is what the head tagger finds encoding the
    sentences itself, and the +source curve does not pay for those features twice."""
    from xner.ner.base import build_tagger
    from xner.scaling import head_on_features, read_source, zero_shot_transfer
    from xner.training.head_trainer import train_head

    folder, encoder = files
    train_head(corpus(18), tmp_path / "head", encoder=str(encoder), layers=(1, 2), hidden=8, epochs=15, cache=False,
               device="cpu")
    (tmp_path / "en.txt").write_text(raw_lines(corpus(18)), encoding="utf-8")
    config = config_for(files, tmp_path / "cache", source=tmp_path / "en.txt", translations=folder / "es.txt",
                        source_ner=f"head:{tmp_path / 'head'}", tokenize="auto", grid=(9, 18), seeds=(0,),
                        methods=("ngram",), thresholds=(), gold_train=None, epochs=2, warm=True)
    assert head_on_features(config) is not None
    sentences, tag_at, bank = read_source(config, 18, log=lambda _: None)
    direct = build_tagger(f"head:{tmp_path / 'head'}", device="cpu").tag([s.words for s in sentences])
    assert [s.entities for s in sentences] == [t.entities for t in direct]
    assert any(s.entities for s in sentences) and 0 < tag_at[9] <= tag_at[18] and bank is not None
    # a second run reads what the head found back from the cache, with the seconds it took then
    import xner.scaling.data

    def no_tagging(*_):
        raise AssertionError("tagged again")

    original = xner.scaling.data.tag_from_bank
    xner.scaling.data.tag_from_bank = no_tagging
    try:
        again, again_at, _ = read_source(config, 18, log=lambda _: None)
    finally:
        xner.scaling.data.tag_from_bank = original
    assert again == sentences and 0 < again_at[9] <= again_at[18]
    test = read_labelled(folder / "es.test.conll")
    runner_free = zero_shot_transfer(config, 18, test, log=lambda _: None)
    rows = run_sweep(config, WordAligner(), tmp_path / "out", log=lambda _: None)
    by_curve = {(r.curve, r.n): r for r in rows}
    assert by_curve["transfer", 18].f1 == runner_free.f1
    assert by_curve["ngram+source", 18].features_s == by_curve["ngram", 18].features_s
    # the warm-started curve: the projections trained from the source head, at every N
    assert {n for curve, n in by_curve if curve == "ngram+warm"} == {9, 18}
    assert "| ngram from the source head F1 | that − transfer |" in (tmp_path / "out" / "summary.md").read_text()


def test_a_warm_started_head_is_the_source_head_trained_on_the_projections(files, tmp_path, monkeypatch):
    """The curve's head starts from the source NER's head, with its shape and layers, whatever
    the study's own head settings; the other curves keep the study's."""
    import xner.training.head_trainer as trainer
    from xner.training.head_trainer import train_head

    folder, encoder = files
    train_head(corpus(18), tmp_path / "head", encoder=str(encoder), layers=(2,), hidden=8, epochs=2, cache=False,
               device="cpu")
    (tmp_path / "en.txt").write_text(raw_lines(corpus(18)), encoding="utf-8")
    config = config_for(files, tmp_path / "cache", source=tmp_path / "en.txt", translations=folder / "es.txt",
                        source_ner=f"head:{tmp_path / 'head'}", tokenize="auto", grid=(18,), seeds=(0,),
                        methods=("ngram",), thresholds=(), gold_train=None, epochs=1, with_source=False,
                        transfer=False, warm=True)
    seen = []
    original = trainer.train_head
    monkeypatch.setattr(trainer, "train_head", lambda *a, **k: seen.append(k) or original(*a, **k))
    run_sweep(config, WordAligner(), tmp_path / "out", log=lambda _: None)
    warm = [k for k in seen if k["init"]]
    cold = [k for k in seen if not k["init"]]
    assert len(warm) == len(cold) == 1
    assert warm[0]["init"] == str(tmp_path / "head") and warm[0]["feature_layers"] == (2,)
    assert cold[0]["layers"] == config.layers
    no_warm = run_sweep(replace(config, warm=False), WordAligner(), tmp_path / "out2", log=lambda _: None)
    assert not any(r.curve.endswith("+warm") for r in no_warm)
