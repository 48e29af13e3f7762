"""xner: live projection. Enter a sentence, see translation, entities, candidates and alignment.

The page only arranges widgets and calls xner; slow stages (translation, NER, alignment)
are cached, so changing a projection parameter re-projects at once.
"""

import time

import pandas as pd
import streamlit as st

from xner.app.access import gate
from xner.errors import XnerError
from xner.models.offered import check_offered
from xner.app.display import (candidate_rows, editor_item, entity_choices, error_text, highlight_html, literal,
                               parse_tags_for, similarity_chart)
from xner.app.editor import projection_editor
from xner.projection.base import build_projector
from xner.projection.labels import COMPOUND_MISC
from xner.projection.base import projectors
from xner.projection.methods import available_methods, with_weights
from xner.projection.settings import declared_settings
from xner.app.widgets import page_settings, setting_widget
from xner.text import tokenize
from xner.types import Sentence
from xner.app.resources import aligner, projector, source_ner_default, tagger
from xner.app.warmup import warm_up

st.set_page_config(page_title="xner · live projection", layout="wide")
user = gate()
st.title("xner: cross-lingual NER by projection")
st.caption("Translate, tag, align, project — and see every competing candidate.")

MODES = {
    "translate-test: a target sentence": "test",
    "translate-train: a labelled source sentence": "train",
}

# Each setting's name in the sidebar: its widget's label starts with it, and an error
# about the setting names it so (the library names it by key, the CLI by its flag). A projection
# method's settings are labelled as declared (xner.projection.settings); the page's own here.
LABELS = {
    **{name: s.label for name, s in declared_settings().items()},
    "tgt_lang": "Target language", "translator": "Translator", "ner": "Source NER", "device": "Device",
    "encoder": "Encoder",
}


def run_pipeline(mode: str, words: tuple, entities: tuple, translation: str, settings: tuple):
    """The slow stages, cached in the session by their inputs."""
    from xner.pipeline import Pipeline
    from xner.translation.base import build_translator

    key = ("pipeline", mode, words, entities, translation, settings)
    if key not in st.session_state:
        src_lang, tgt_lang, translator_spec, ner_spec, layer, method, level, model, device = settings
        translator = build_translator("given", translations=[translation]) if translation else build_translator(translator_spec)
        pipeline = Pipeline(translator, aligner(model, layer, method, level, device), build_projector("heuristic"),
                            tagger(ner_spec, device) if mode == "test" else None, mode, src_lang, tgt_lang)
        result = pipeline.run([Sentence(words, entities)])[0]
        st.session_state[key] = (result, dict(pipeline.timings))
    return st.session_state[key]


with st.sidebar:
    st.header("Settings")
    mode = MODES[st.radio("Direction", list(MODES), key="mode")]
    src_lang = st.text_input(LABELS["src_lang"], "en", key="src_lang")
    tgt_lang = st.text_input(LABELS["tgt_lang"], "es", key="tgt_lang")
    translator_spec = st.text_input(f"{LABELS['translator']} (apertium, hf:MODEL)", "apertium", key="translator")
    ner_spec = st.text_input(f"{LABELS['ner']} (head:DIR, spacy:MODEL, hf:MODEL)", source_ner_default(), key="ner")
    st.subheader("Aligner")
    model = st.text_input(f"{LABELS['encoder']} (empty: offline multilingual-e5-small)", "", key="encoder")
    device = st.text_input(f"{LABELS['device']} (auto: CUDA when present; cpu, cuda, cuda:1)", "auto",
                           key="device").strip() or "auto"
    layer = st.number_input("Layer", 1, 24, 7, key="layer")
    extraction = st.selectbox("Extraction", ["itermax", "argmax", "match"], key="extraction")
    level = st.selectbox("Level", ["subword", "word"], key="level")
    st.subheader("Projection")
    methods = dict(available_methods())
    method = st.selectbox("Method", list(methods), index=list(methods).index("ngram"), key="method")
    st.caption(methods[method])
    trim = st.checkbox("Keep punctuation off span edges", True, key="trim")
    trim_function = st.checkbox("Trim unaligned function words of the target language off span edges", True,
                                key="trim_function")
    derived = st.checkbox("Label derived forms ('finnischen'; German 'Frankfurter') MISC", True, key="derived",
                          help="A lower-case word from a name; in German also the name with -er, -ern or -ers "
                               "(read from the target language, with function-word trimming on).")
    compounds = st.checkbox("Label compounds with a name ('CDU-Parteitag') MISC", False, key="compounds",
                            help="German CoNLL-2003 labels a word that joins a name and other words MISC; German "
                                 "Europarl keeps the name's label (unticked).")
    # A setting of another method keeps what was entered while that method is not chosen.
    kept = dict(persist_state="page")
    models = {}  # what the method needs beside the alignment: model and translator specs, empty for none
    weights = ""
    # the method's own settings, as it declares them (xner.projection.settings)
    params = {s.name: setting_widget(st, s, **kept) for s in page_settings(projectors.settings(method))}
    if method == "backtranslation":
        LABELS["backtranslation"] = "Back-translation translator"
        models["backtranslation"] = st.text_input(f"{LABELS['backtranslation']} (apertium, hf:MODEL)", "apertium",
                                                  key="backtranslation_translator", **kept)
    else:
        if method in ("ner-span", "fused"):
            # One model per method, each kept while the other is chosen: fused runs well without
            # one (empty), ner-span never does, and comparing them often means different models.
            LABELS["target_ner"] = f"Target NER for {method}"
            models["target_ner"] = st.text_input(
                f"{LABELS['target_ner']} (head:DIR, spacy:MODEL, hf:MODEL" + ("; empty: none)" if method == "fused"
                                                                               else ")"),
                source_ner_default(), key=f"{method.replace('-', '_')}_target_ner", **kept,
                help="Each method keeps its own target NER: a model set here is not used by the other method.")
        if method == "fused":
            models["translation_model"] = st.text_input(
                f"{LABELS['translation_model']} (hub id or directory; empty: none)", "",
                key="translation_model", **kept)
            LABELS["backtranslation"] = "Back-translation candidates"
            models["backtranslation"] = st.text_input(
                f"{LABELS['backtranslation']}: translator (apertium, hf:MODEL; empty: none)", "",
                key="backtranslation_candidates", **kept)
            weights = st.text_input(f"{LABELS['weights']} (SCORER=NUMBER, comma-separated)", "", key="weights",
                                    placeholder="alignment=0.5,ner=0.5,translation=1", **kept,
                                    help="Empty: the published fusion (0.5 alignment + 0.5 NER + 1 translation) "
                                         "of the scores configured.")

if mode == "test":
    text = st.text_input("Target sentence", "La canciller Angela Merkel visitó París con ejecutivos de Siemens .",
                         key="target_text")
    tags_text = ""
else:
    text = st.text_input("Source sentence", "Angela Merkel visited Paris with executives from Siemens .",
                         key="source_text")
    tags_text = st.text_input("Source tags (one per word)", "B-PER I-PER O B-LOC O O O B-ORG O", key="source_tags")
translation = st.text_input("Translation (optional: paste to skip machine translation)", "", key="translation")

words = tuple(text.split())
if not words:
    st.info("Enter a sentence to project.")
    st.stop()
try:
    # only the models this server offers are loaded: a typed folder is never opened
    check_offered({"translator": translator_spec, "ner": ner_spec, "encoder": model, **models})
    entities = parse_tags_for(words, tags_text, "source tags") if mode == "train" else ()
    settings = (src_lang, tgt_lang, translator_spec, ner_spec, int(layer), extraction, level, model.strip(), device)
    request = (mode, words, entities, " ".join(tokenize(translation)), settings)
    # Translation, NER and alignment run on request; projection settings re-project at once.
    if st.button("Project", type="primary", key="project"):
        st.session_state["live_request"] = request
    # Models load in a background thread, started once the inputs are on screen, so the
    # page is usable before they are ready.
    warm_up(ner_spec)
    # Building the projector loads no model yet, so a setting it refuses is reported at once;
    # the cached projector keeps its tags and scores when only the weights change.
    options = dict(params, trim_punctuation=trim, trim_stop_words=tgt_lang if trim_function else None,
                   derived_labels=None if derived else "none", compound_labels=COMPOUND_MISC if compounds else None)
    chosen = with_weights(projector(method, src_lang, tgt_lang, device, **{k: v.strip() for k, v in models.items()},
                                    options=tuple(sorted(options.items()))), weights)
    if st.session_state.get("live_request") != request:
        st.info("Press **Project** to translate, tag and align this sentence.")
        st.stop()
    result, timings = run_pipeline(*request)
    if result.error:
        st.error(literal(result.error))
        st.stop()
    # the pipeline's own projection stage is a stand-in: time the method chosen here
    started = time.perf_counter()
    # translate-test: names the translation split at a hyphen are joined for the methods that match candidates
    from xner.pipeline import pair_for

    pair = pair_for(chosen, result.pair) if mode == "test" else result.pair
    projection = chosen.project(pair)
    timings = {**timings, "project": time.perf_counter() - started}
except XnerError as error:
    st.error(error_text(error, LABELS))
    st.stop()

if getattr(chosen, "ner_score_missing", None) and chosen.ner_score_missing(pair):
    st.warning(literal(f"The target NER ({models.get('target_ner', '')}) gives no per-word probabilities, so the NER "
                       "score is 0 for every candidate and its weight changes nothing; only its spans are candidates. "
                       "A head or hf: model gives probabilities."))
left, right = st.columns(2)
with left:
    st.subheader(f"Source ({src_lang}) with its entities")
    st.markdown(highlight_html(pair.source_words, pair.source_entities), unsafe_allow_html=True)
with right:
    st.subheader(f"Target ({tgt_lang}) with the projected spans")
    st.markdown(highlight_html(pair.target_words, projection.entities), unsafe_allow_html=True)
st.caption(" · ".join(f"{stage} {1000 * seconds:.0f} ms" for stage, seconds in timings.items()))

st.subheader("Alignment")
st.caption("Source above target, linked word by word; each source entity and its projected span share a colour "
           "and number. Hover or click a source entity for its links and candidates. Edits here are a sandbox: "
           "nothing is saved.")
edited = projection_editor(pair, projection, key="live_editor",
                           item=editor_item(pair, projection, method, tuple(sorted(options.items())),
                                            tuple(sorted(models.items())), weights),
                           weights=getattr(chosen, "weights", None))
if edited.changed:
    st.markdown("Edited target: " + highlight_html(pair.target_words, edited.entities), unsafe_allow_html=True)
if st.toggle("Similarity heatmap (click a source word to focus it)", key="heatmap"):
    cached = ("similarity", request)
    if cached not in st.session_state:
        encoder = aligner(model.strip(), int(layer), extraction, level, device)
        st.session_state[cached] = encoder.word_similarity(pair.source_words, pair.target_words)
    st.altair_chart(similarity_chart(st.session_state[cached], pair.source_words, pair.target_words,
                                     sorted(pair.alignment.links) if pair.alignment else ()), key="similarity")

st.subheader("Candidates")
choices = entity_choices(pair)
shown = st.selectbox("Candidates of", choices, index=None, key="candidate_entity",
                     placeholder="every source entity")
rows = candidate_rows(pair, projection, entity=choices.index(shown) if shown in choices else None)
st.dataframe(pd.DataFrame(rows) if rows else pd.DataFrame({"note": ["no candidates"]}), key="candidates",
             width="stretch")
