"""Teaching: one example, step by step — translation, entities, alignment, two projections."""

import pandas as pd
import streamlit as st

from xner.app.access import gate
from xner.app.display import (candidate_rows, editor_item, entity_choices, highlight_html, literal,
                               similarity_chart)
from xner.app.editor import projection_editor
from xner.projection.base import build_projector
from xner.types import Entity, SentencePair
from xner.app.resources import aligner

st.set_page_config(page_title="xner · teaching", layout="wide")
user = gate()
st.title("How projection works")

EXAMPLES = {  # name -> (English, translation, English entities, language of the translation)
    "German: articles and compounds": (
        "Angela Merkel visited the Netherlands with the European Parliament delegation .",
        "Angela Merkel besuchte die Niederlande mit der Delegation des Europaparlaments .",
        (Entity(0, 2, "PER"), Entity(4, 5, "LOC"), Entity(7, 9, "ORG")), "de"),
    "Spanish: word order": (
        "The Socialist Group supported the Commission in Strasbourg .",
        "El Grupo Socialista apoyó a la Comisión en Estrasburgo .",
        (Entity(1, 3, "ORG"), Entity(5, 6, "ORG"), Entity(7, 8, "LOC")), "es"),
}


choice = st.selectbox("Example", list(EXAMPLES), key="example")
source, target, entities, lang = EXAMPLES[choice]
pair = SentencePair(tuple(source.split()), tuple(target.split()), entities)
steps = ["1 · Translation", "2 · Source entities", "3 · Alignment", "4 · Heuristic projection",
         "5 · Candidate matching"]
step = st.radio("Step", steps, horizontal=True, key="step")

if step == steps[0]:
    st.markdown("In **translate-train** we start from a labelled English sentence and its translation "
                "(by a human, DeepL, NLLB or Apertium). In **translate-test** the direction is reversed: the "
                "target sentence is translated into English, where a good NER model exists.")
    st.write(f"**English:** {literal(source)}")
    st.write(f"**Translation:** {literal(target)}")
elif step == steps[1]:
    st.markdown("The English entities come from gold data or an English NER model.")
    st.markdown(highlight_html(pair.source_words, pair.source_entities), unsafe_allow_html=True)
else:
    encoder = aligner(level="word")
    (alignment,) = encoder.align([(pair.source_words, pair.target_words)])
    pair = pair.with_alignment(alignment)
    if step == steps[2]:
        st.markdown("A multilingual encoder embeds both sentences; the cosine similarity of every word pair "
                    "forms a matrix. **ArgMax** keeps pairs that are each other's best match; **IterMax** "
                    "repeats this for words left unaligned. The links join the words below; hover an English "
                    "entity to see its own (nothing is projected yet: that is the next step).")
        projection_editor(pair, entities=(), key="teaching_editor", item=editor_item(pair, None, choice))
        st.markdown("The matrix behind them (● marks a link); click an English word to focus its row.")
        sim = encoder.word_similarity(pair.source_words, pair.target_words)
        st.altair_chart(similarity_chart(sim, pair.source_words, pair.target_words, sorted(alignment.links)),
                        key="similarity")
    else:
        method = "heuristic" if step == steps[3] else "ngram"
        result = build_projector(method, trim_stop_words=lang).project(pair)
        if method == "heuristic":
            st.markdown("**Heuristic:** take the target words linked to each entity, merge runs at most one "
                        "word apart, keep a run if it is longer than 0.8 × the entity. A multi-word name "
                        "translated as one compound word is lost.")
        else:
            st.markdown("**Candidate matching:** every target n-gram is a candidate, scored by how many links "
                        "it shares with the entity (Dice); the best non-overlapping candidates win. A compound "
                        "now survives, and an unlinked article is left out.")
        st.markdown("Either way the chosen span is then finished: an article or preposition at its edge is "
                    "trimmed unless a content word of the entity is aligned to it, and a single lower-case word "
                    "from a place or organisation name (*finnischen* for *Finland*) is an adjective, labelled "
                    "MISC as the CoNLL guidelines want. The candidates' reasons say when this happened.")
        st.markdown(highlight_html(pair.target_words, result.entities), unsafe_allow_html=True)
        st.caption("Below, each English entity and its projected span share a colour and number; hover or "
                   "click an English entity to see its links and its candidates, with their scores.")
        projection_editor(pair, result, key="teaching_editor", item=editor_item(pair, result, method))
        choices = entity_choices(pair)
        shown = st.selectbox("Candidates of", choices, index=None, key=f"candidate_entity_{method}",
                             placeholder="every English entity")
        rows = candidate_rows(pair, result, entity=choices.index(shown) if shown in choices else None)
        st.dataframe(pd.DataFrame(rows).head(30) if rows else pd.DataFrame({"note": ["no candidates"]}),
                     key=f"candidates_{method}")
