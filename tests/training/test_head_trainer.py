import json
from dataclasses import replace

import numpy as np
import pytest
from typer.testing import CliRunner

from tests.tiny_models import build_tiny_bert
from xner.cli.main import app
from xner.errors import ConfigError
from xner.evaluation.metrics import evaluate
from xner.io.conll import read_conll, write_conll
from xner.ner.base import build_tagger
from xner.ner.head_model import build_network, load_head, save_head
from xner.projection.base import build_projector
from xner.training.head_trainer import train_head
from xner.types import Alignment, Entity, Sentence, SentencePair

NAMES = [("Angela", "Merkel"), ("Angela",), ("Merkel",)]
PLACES = ["Paris", "Strasbourg", "Siemens"]


def corpus(n):
    """``NAME visited PLACE .``: a person (one or two words) and a place."""
    sentences = []
    for k in range(n):
        name = NAMES[k % 3]
        words = (*name, "visited", PLACES[(k // 3) % 3], ".")
        sentences.append(Sentence(words, (Entity(0, len(name), "PER"), Entity(len(name) + 1, len(name) + 2, "LOC"))))
    return sentences


pytestmark = pytest.mark.usefixtures("one_thread")  # tests/conftest.py


@pytest.fixture(scope="module")
def tiny_encoder(tmp_path_factory):
    return build_tiny_bert(tmp_path_factory.mktemp("tiny-encoder"), layers=2)


@pytest.fixture(scope="module")
def trained(tiny_encoder, tmp_path_factory):
    output = tmp_path_factory.mktemp("head")
    cache = tmp_path_factory.mktemp("features")
    config, network, report = train_head(corpus(27), output, encoder=str(tiny_encoder), dev=corpus(9), layers=(1, 2),
                                         hidden=16, epochs=25, patience=25, batch_size=4, cache=cache)
    return output, config, network, report, cache


def test_train_save_load_tag_round_trip(trained):
    output, config, _, report, _ = trained
    assert report.losses[-1] < report.losses[0] and max(report.dev_f1) == 1.0
    assert config.tags == ("O", "B-LOC", "I-LOC", "B-PER", "I-PER") and config.kind == "bilstm-crf"  # the default
    assert json.loads((output / "xner-head.json").read_text())["training"]["best_epoch"] == report.best_epoch
    tagger = build_tagger(f"head:{output}")  # the registry path a user takes: --ner head:DIR
    test = corpus(6)
    tagged = tagger.tag([s.words for s in test] + [()])
    assert tagged[-1].entities == () and tagged[-1].probabilities == ()
    assert evaluate([s.entities for s in test], [t.entities for t in tagged[:-1]], [len(s.words) for s in test]).overall.f1 == 1.0
    for sentence, result in zip(test, tagged):
        assert len(result.probabilities) == len(sentence.words)
        for distribution in result.probabilities:
            assert set(distribution) == set(config.tags)
            assert abs(sum(distribution.values()) - 1) < 1e-5
        assert result.probabilities[0]["I-PER"] == 0.0  # a CRF marginal: an I- tag never opens a sentence


@pytest.mark.parametrize("kind, depth", [("bilstm", 1), ("linear-crf", 1), ("bilstm-crf", 2)])
def test_every_head_kind_trains_saves_loads_and_tags(tiny_encoder, trained, tmp_path, kind, depth):
    *_, cache = trained
    config, network, report = train_head(corpus(27), tmp_path / kind, encoder=str(tiny_encoder), dev=corpus(9),
                                         layers=(1, 2), kind=kind, hidden=16, lstm_layers=depth, epochs=25,
                                         patience=25, batch_size=4, cache=cache)
    assert config.crf == kind.endswith("-crf") and report.losses[-1] < report.losses[0] and max(report.dev_f1) == 1.0
    loaded_config, loaded = load_head(tmp_path / kind)
    assert (loaded_config.kind, loaded_config.lstm_layers) == (kind, depth)
    for (name, a), (_, b) in zip(network.state_dict().items(), loaded.state_dict().items()):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=name)
    test = corpus(6)
    tagged = build_tagger(f"head:{tmp_path / kind}").tag([s.words for s in test])
    assert [t.entities for t in tagged] == [s.entities for s in test]
    for distribution in tagged[0].probabilities:
        assert abs(sum(distribution.values()) - 1) < 1e-5


def test_predict_gives_each_sentence_the_same_result_in_any_batch(trained):
    from xner.ner.head_tagger import predict

    _, config, network, *_ = trained
    rng = np.random.default_rng(0)
    features = [rng.normal(size=(n, 2, config.dim)).astype(np.float32) for n in (4, 1, 0, 3, 6, 1, 2, 5)]
    together = predict(network, features, config.tags, batch_words=8)  # several batches of mixed lengths
    for array, (tags, log_probs, _) in zip(features, together):
        alone_tags, alone, _ = predict(network, [array], config.tags)[0]
        assert tags == alone_tags and len(tags) == len(array) and log_probs.shape == (len(array), len(config.tags))
        np.testing.assert_allclose(log_probs, alone, atol=1e-5)
    assert together[2].tags == [] and together[2].log_probs.shape == (0, len(config.tags))
    assert predict(network, [], config.tags) == []


def test_a_head_saved_before_depth_and_crf_existed_still_loads(trained, tmp_path):
    _, config, *_ = trained
    legacy = tmp_path / "legacy"
    save_head(legacy, replace(config, kind="bilstm"), build_network(replace(config, kind="bilstm")))
    payload = json.loads((legacy / "xner-head.json").read_text())
    del payload["lstm_layers"]  # the keys written before this option existed
    (legacy / "xner-head.json").write_text(json.dumps(payload))
    loaded_config, _ = load_head(legacy)
    assert (loaded_config.kind, loaded_config.lstm_layers, loaded_config.crf) == ("bilstm", 1, False)
    assert build_tagger(f"head:{legacy}").tag([("Angela", "Merkel")])[0].probabilities


def test_loaded_network_equals_the_trained_one(trained):
    output, _, network, _, _ = trained
    _, loaded = load_head(output)
    for (name, a), (_, b) in zip(network.state_dict().items(), loaded.state_dict().items()):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=name)


def test_retraining_reads_the_cached_features(trained, tiny_encoder, monkeypatch):
    from xner.ner import features as features_module

    *_, cache = trained
    monkeypatch.setattr(features_module, "load_layer_encoder", lambda *a: pytest.fail("features were not cached"))
    _, _, report = train_head(corpus(27), encoder=str(tiny_encoder), dev=corpus(9), layers=(2,), feature_layers=(1, 2),
                              kind="linear", epochs=2, cache=cache)
    assert report.epochs == 2 and len(report.layer_weights) == 1


def test_head_is_a_target_ner_for_fused_projection(trained):
    output, *_ = trained
    words = ("Angela", "Merkel", "visited", "Paris", ".")
    pair = SentencePair(words, words, (Entity(0, 2, "PER"),), alignment=Alignment.of([(0, 0), (1, 1)]))
    result = build_projector("fused", target_ner=f"head:{output}").project(pair)
    assert result.entities == (Entity(0, 2, "PER"),)
    chosen = result.candidates_for(0)[0]
    assert chosen.scores["ner"] > 0.5  # the NER score comes from the head's probabilities


def test_fused_can_score_whole_entities_with_a_crf_head(trained):
    output, *_ = trained
    words = ("Angela", "Merkel", "visited", "Paris", ".")
    pair = SentencePair(words, words, (Entity(0, 2, "PER"),), alignment=Alignment.of([(0, 0), (1, 1)]))
    result = build_projector("fused", target_ner=f"head:{output}", ner_score="whole").project(pair)
    assert result.entities == (Entity(0, 2, "PER"),)
    chain = build_tagger(f"head:{output}").tag([words])[0].chain
    candidates = result.candidates_for(0)
    whole = chain.entity_probabilities([c.span.start for c in candidates], [c.span.end for c in candidates])
    for candidate, p in zip(candidates, whole):
        assert candidate.scores["ner"] == pytest.approx(p if p >= 0.05 else 0.0)
    # "Angela Merkel" and "Angela" alone as whole entities exclude each other (the word after
    # "Angela" is I- or not): their probabilities add up to at most 1, unlike the per-word score's
    both = chain.entity_probabilities([0, 0], [2, 1])
    assert both.sum() <= 1 + 1e-9 and both[0] > 0.05


def test_whole_entity_score_needs_a_crf_head(trained, tmp_path):
    _, config, *_ = trained
    softmax = tmp_path / "softmax"
    save_head(softmax, replace(config, kind="bilstm"), build_network(replace(config, kind="bilstm")))
    words = ("Angela", "Merkel")
    pair = SentencePair(words, words, (Entity(0, 2, "PER"),), alignment=Alignment.of([(0, 0), (1, 1)]))
    with pytest.raises(ConfigError, match="CRF head"):
        build_projector("fused", target_ner=f"head:{softmax}", ner_score="whole").project(pair)


def test_cli_trains_a_head(tiny_encoder, tmp_path, monkeypatch):
    monkeypatch.setenv("XNER_HOME", str(tmp_path / "home"))
    write_conll(tmp_path / "train.conll", corpus(12))
    write_conll(tmp_path / "dev.conll", corpus(3))
    result = CliRunner().invoke(app, ["train", str(tmp_path / "train.conll"), "--trainer", f"head:{tiny_encoder}",
                                      "--dev", str(tmp_path / "dev.conll"), "--layers", "1-2", "--epochs", "2",
                                      "-o", str(tmp_path / "model")])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "home" / "features").glob("*/done.json"))) == 2  # train and dev
    assert build_tagger(f"head:{tmp_path / 'model'}").tag([read_conll(tmp_path / "dev.conll")[0].words])
    scored = CliRunner().invoke(app, ["evaluate", str(tmp_path / "dev.conll"), "--model", str(tmp_path / "model"),
                                      "--json"])
    assert scored.exit_code == 0, scored.output
    assert 0 <= json.loads(scored.stdout.splitlines()[-1])["f1"] <= 1
    bad = CliRunner().invoke(app, ["train", str(tmp_path / "train.conll"), "--trainer", "head", "--layers", "x",
                                   "-o", str(tmp_path / "m2")])
    assert bad.exit_code != 0 and "--layers" in bad.output


def test_missing_or_wrong_model_directory_says_how_to_train_one(tmp_path):
    with pytest.raises(ConfigError, match="xner train"):
        build_tagger(f"head:{tmp_path}").tag([("Paris",)])
    with pytest.raises(ConfigError, match="empty"):
        train_head([Sentence(())])
    with pytest.raises(ConfigError, match="bilstm, linear|linear, bilstm"):
        train_head(corpus(3), kind="crf")
    with pytest.raises(ConfigError, match="lstm_layers=0"):
        train_head(corpus(3), lstm_layers=0)


def test_pipeline_defaults_to_the_installed_head(trained, tmp_path, monkeypatch):
    import shutil

    from xner.ner.base import DEFAULT_SOURCE_NER, INSTALLED_HEAD, default_source_ner

    output, *_ = trained
    monkeypatch.setenv("XNER_HOME", str(tmp_path / "home"))
    assert default_source_ner() == DEFAULT_SOURCE_NER  # nothing installed: spaCy
    shutil.copytree(output, tmp_path / "home" / "ner" / INSTALLED_HEAD)
    assert default_source_ner() == f"head:{tmp_path / 'home' / 'ner' / INSTALLED_HEAD}"
    # translate-test with no --ner: the English side is tagged by the installed head
    (tmp_path / "de.txt").write_text("Siemens besuchte Strasbourg .\nAngela besuchte Paris .\n")
    (tmp_path / "en.txt").write_text("Siemens visited Strasbourg .\nAngela visited Paris .\n")
    result = CliRunner().invoke(app, ["pipeline", str(tmp_path / "de.txt"), "--direction", "test", "--tgt-lang", "de",
                                      "--translator", f"given:{tmp_path / 'en.txt'}", "--aligner", "eflomal",
                                      "--format", "jsonl", "-o", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 0, result.output
    found = [tuple(Entity(*e) for e in json.loads(line)["source_entities"])
             for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    english = [tuple(line.split()) for line in (tmp_path / "en.txt").read_text().splitlines()]
    assert found == [t.entities for t in build_tagger(default_source_ner()).tag(english)]
    assert found != [t.entities for t in build_tagger(DEFAULT_SOURCE_NER).tag(english)]


def test_head_features_run_on_the_device_asked(trained, tiny_encoder, tmp_path, monkeypatch):
    import torch

    from xner.ner import features as features_module

    output, *_ = trained
    words = ("Angela", "Merkel", "visited", "Paris", ".")
    on_cpu = build_tagger(f"head:{output}", device="cpu").tag([words])
    encoder = features_module.load_layer_encoder(str(tiny_encoder), (1, 2), "cpu")
    assert encoder.device == "cpu" and next(encoder.model.parameters()).device.type == "cpu"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert features_module.load_layer_encoder(str(tiny_encoder), (1, 2), "auto") is encoder  # auto: the CPU here
    assert build_tagger(f"head:{output}").tag([words]) == on_cpu
    monkeypatch.setattr(features_module, "load_layer_encoder", lambda *a: pytest.fail("no encoder may load"))
    with pytest.raises(ConfigError, match="sees no CUDA GPU.*set device to cpu"):
        build_tagger(f"head:{output}", device="cuda")  # when built, before any sentence is read
    with pytest.raises(ConfigError, match="sees no CUDA GPU"):
        train_head(corpus(3), encoder=str(tiny_encoder), layers=(1,), cache=False, device="cuda")
    result = CliRunner().invoke(app, ["evaluate", str(_conll(tmp_path)), "--model", str(output), "--device", "cuda"])
    assert isinstance(result.exception, ConfigError) and "sees no CUDA GPU" in str(result.exception)


def _conll(tmp_path):
    write_conll(tmp_path / "gold.conll", corpus(3))
    return tmp_path / "gold.conll"


def people_only(sentences):
    """The same sentences with only their persons, as a target without LOC would have them."""
    return [Sentence(s.words, tuple(e for e in s.entities if e.label == "PER")) for s in sentences]


def test_warm_start_copies_the_base_by_tag_name(trained):
    """Rows of tags the base knows are its rows, whatever their order; a tag it never learned
    starts untrained; the feature statistics are the base's."""
    import torch

    from xner.training.head_trainer import warm_start

    _, config, base, _, _ = trained
    tags = ("O", "B-PER", "I-PER", "B-DATE", "I-DATE")
    network = build_network(replace(config, tags=tags))
    warm_start(network, tags, config, base)
    for k, tag in enumerate(tags[:3]):
        j = config.tags.index(tag)
        torch.testing.assert_close(network.out.weight[k], base.out.weight[j])
        torch.testing.assert_close(network.crf.start[k], base.crf.start[j])
        for m, other in enumerate(tags[:3]):
            torch.testing.assert_close(network.crf.transitions[k, m], base.crf.transitions[j, config.tags.index(other)])
    assert float(network.crf.start[3].detach()) == 0.0 and float(network.crf.transitions[3, 4].detach()) == 0.0  # DATE: untrained
    torch.testing.assert_close(network.lstm.weight_ih_l0, base.lstm.weight_ih_l0)
    torch.testing.assert_close(network.mean, base.mean)
    torch.testing.assert_close(network.mix, base.mix)


def test_a_head_started_from_a_trained_one_keeps_what_it_knew(trained, tiny_encoder, tmp_path):
    """Persons only: started from the trained head it finds them all at once, and takes the
    base's shape and layers; started from nothing it has not learned them yet."""
    output, config, _, _, cache = trained
    data, dev = people_only(corpus(27)), people_only(corpus(9))
    # a step too small to learn anything in one epoch, so what the head knows is where it started
    common = dict(encoder=str(tiny_encoder), dev=dev, epochs=1, batch_size=4, cache=cache, layers=(2,), hidden=4,
                  kind="linear", learning_rate=1e-5)
    warm_config, _, warm = train_head(data, tmp_path / "warm", init=output, **common)
    _, _, cold = train_head(data, None, **common)
    assert (warm_config.kind, warm_config.hidden, warm_config.layers) == (config.kind, config.hidden, config.layers)
    assert warm_config.tags == ("O", "B-PER", "I-PER")
    assert warm.dev_f1[0] == 1.0 and cold.dev_f1[0] < 1.0
    assert json.loads((tmp_path / "warm" / "xner-head.json").read_text())["training"]["init"] == str(output.resolve())


def test_cli_starts_a_head_from_another(trained, tmp_path, monkeypatch):
    output, *_ = trained
    monkeypatch.setenv("XNER_HOME", str(tmp_path / "home"))  # no installed head there
    write_conll(tmp_path / "train.conll", people_only(corpus(12)))
    result = CliRunner().invoke(app, ["train", str(tmp_path / "train.conll"), "--trainer", "head", "--init",
                                      str(output), "--epochs", "1", "-o", str(tmp_path / "model")])
    assert result.exit_code == 0, result.output
    assert load_head(tmp_path / "model")[0].training["init"] == str(output.resolve())
    missing = CliRunner().invoke(app, ["train", str(tmp_path / "train.conll"), "--trainer", "head", "--init",
                                       "installed", "-o", str(tmp_path / "m2")])
    assert missing.exit_code != 0 and "xner models install" in missing.output
    spacy = CliRunner().invoke(app, ["train", str(tmp_path / "train.conll"), "--init", str(output), "--lang", "es",
                                     "-o", str(tmp_path / "m3")])
    assert spacy.exit_code != 0 and "--trainer head" in spacy.output
    not_a_head = CliRunner().invoke(app, ["train", str(tmp_path / "train.conll"), "--trainer", "head", "--init",
                                          str(tmp_path), "-o", str(tmp_path / "m4")])
    assert not_a_head.exit_code != 0 and "not a head tagger" in str(not_a_head.exception)  # main() prints it
