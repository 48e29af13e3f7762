import pytest

from tests.tiny_models import build_tiny_bert
from xner.errors import ConfigError
from xner.evaluation.metrics import evaluate
from xner.training.spacy_trainer import load_trained, predict_spacy, train_spacy
from xner.training.transformers_trainer import train_transformers
from xner.types import Entity, Sentence

NAMES = ["Ana", "Luis", "Marta", "Pedro", "Sofía", "Jorge"]
PLACES = ["Madrid", "Lima", "Quito", "Bogotá", "Sevilla", "Cusco"]


def corpus(n):
    sentences = []
    for k in range(n):
        words = (NAMES[k % 6], "viajó", "a", PLACES[(k + k // 6) % 6], "ayer", ".")
        sentences.append(Sentence(words, (Entity(0, 1, "PER"), Entity(3, 4, "LOC"))))
    return sentences


def test_spacy_training_learns_a_simple_pattern_and_is_reproducible(tmp_path):
    train = corpus(60)
    nlp, report = train_spacy(train, "es", tmp_path / "model", epochs=10, seed=3)
    assert report.labels == ("LOC", "PER") and report.losses[-1] < report.losses[0]
    test = [Sentence(("Pedro", "viajó", "a", "Lima", "ayer", "."), (Entity(0, 1, "PER"), Entity(3, 4, "LOC")))]
    loaded = load_trained(tmp_path / "model")
    predicted = predict_spacy(loaded, [s.words for s in test] + [()])
    assert predicted[-1] == ()
    assert evaluate([test[0].entities], predicted[:1], [6]).overall.f1 == 1.0
    _, again = train_spacy(train, "es", epochs=10, seed=3)
    assert again.losses == report.losses


def test_training_refuses_nothing_to_learn(tmp_path):
    with pytest.raises(ConfigError, match="empty"):
        train_spacy([Sentence(())], "es")
    with pytest.raises(ConfigError, match="not a trained spaCy pipeline"):
        load_trained(tmp_path)


def test_transformers_trainer_on_a_tiny_local_model(tmp_path):
    from transformers import AutoModelForTokenClassification

    base = build_tiny_bert(tmp_path / "base")
    report = train_transformers(corpus(24), str(base), tmp_path / "ner", epochs=3, seed=0, batch_size=8,
                                learning_rate=1e-3)
    assert report.labels == ("O", "B-LOC", "I-LOC", "B-PER", "I-PER")
    assert report.losses[-1] < report.losses[0]
    model = AutoModelForTokenClassification.from_pretrained(tmp_path / "ner")
    assert model.config.id2label[3] == "B-PER"


def test_trainers_run_on_the_device_asked_and_check_it_first(tmp_path, monkeypatch):
    import torch
    import transformers
    from thinc import util as thinc_util
    from thinc.api import NumpyOps

    from xner.training.trained import predict_trained

    nlp, _ = train_spacy(corpus(12), "es", tmp_path / "spacy", epochs=1, device="cpu")
    assert isinstance(nlp.get_pipe("ner").model.ops, NumpyOps)
    assert isinstance(load_trained(tmp_path / "spacy", "cpu").get_pipe("ner").model.ops, NumpyOps)
    base = build_tiny_bert(tmp_path / "base")
    train_transformers(corpus(8), str(base), tmp_path / "hf", epochs=1, batch_size=8, device="cpu")
    assert len(predict_trained(tmp_path / "hf", [("Ana", "viajó")], device="cpu")) == 1

    monkeypatch.setattr(thinc_util, "has_cupy_gpu", False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(transformers.AutoTokenizer, "from_pretrained", lambda *a, **k: pytest.fail("no model may load"))
    with pytest.raises(ConfigError, match="spaCy cannot use a GPU here"):
        train_spacy(corpus(12), "es", device="cuda")
    with pytest.raises(ConfigError, match="spaCy cannot use a GPU here"):
        load_trained(tmp_path / "spacy", "cuda:0")
    with pytest.raises(ConfigError, match="sees no CUDA GPU"):
        train_transformers(corpus(8), str(base), tmp_path / "hf2", device="cuda")
    assert not (tmp_path / "hf2").exists()


def test_train_cli_passes_the_device(tmp_path, monkeypatch, capsys):
    from tests.cli.test_cli import run
    from xner.io.conll import write_conll

    write_conll(tmp_path / "train.conll", [(s.words, s.entities) for s in corpus(6)])
    seen = {}

    def fake_train(sentences, lang, output, **options):
        seen.update(options)
        raise ConfigError("stop here")

    monkeypatch.setattr("xner.training.spacy_trainer.train_spacy", fake_train)
    code, _, err = run(monkeypatch, capsys, "train", tmp_path / "train.conll", "--lang", "es", "--device", "cpu",
                       "-o", tmp_path / "model")
    assert code == 2 and "stop here" in err and seen["device"] == "cpu"
