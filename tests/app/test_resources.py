from tests.projection.test_model_methods import FixedTagger
from xner.types import Entity


def test_live_projectors_keep_model_outputs_for_the_recent_sentences_only(monkeypatch):
    from xner.app import resources
    from xner.projection.methods import LRUCache

    monkeypatch.setattr(resources, "tagger", lambda spec, device="auto": FixedTagger((Entity(0, 1, "PER"),)))
    resources.projector.clear()
    try:
        fused = resources.projector("fused", "en", "de", "cpu", target_ner="fixed")
        ner_span = resources.projector("ner-span", "en", "de", "cpu", target_ner="fixed")
    finally:
        resources.projector.clear()
    caches = [part.tags.cache for projector in (fused, ner_span) for part in projector.extractors if hasattr(part, "tags")]
    assert len(caches) == 2
    assert all(isinstance(c, LRUCache) and c.maxsize == resources.LIVE_CACHE_SENTENCES for c in caches)
    assert 16 <= resources.LIVE_CACHE_SENTENCES <= 1024
