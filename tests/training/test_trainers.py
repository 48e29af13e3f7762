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
