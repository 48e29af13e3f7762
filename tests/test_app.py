from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def test_live_page_projects_and_switches_method():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert not at.exception
    projected = at.dataframe[0].value
    assert list(projected["text"]) == ["Angela Merkel", "París", "Siemens"]
    at.selectbox(key="method").set_value("ngram").run()
    assert not at.exception
    candidates = at.dataframe[1].value
    assert candidates["chosen"].sum() == 3


def test_live_page_reports_bad_input_without_losing_it():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    at.text_input(key="tags").set_value("B-PER O").run()
    assert "2 tags for 8 words" in at.error[0].value
    assert at.text_input(key="tags").value == "B-PER O"


def test_evaluate_page_starts():
    at = AppTest.from_file(str(ROOT / "pages/1_Evaluate.py"), default_timeout=30).run()
    assert not at.exception and at.title[0].value == "Evaluate"


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
