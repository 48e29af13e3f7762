import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xner.errors import InputFormatError
from xner.io.talp import format_talp_line, parse_talp_line, read_talp, write_talp
from xner.types import Alignment


def test_round_trip_and_possible_links(tmp_path):
    path = tmp_path / "a.talp"
    write_talp(path, [Alignment.of([(1, 2), (0, 0)]), Alignment()])
    assert path.read_text() == "0-0 1-2\n\n"
    assert read_talp(path) == [Alignment.of([(0, 0), (1, 2)]), Alignment()]
    assert parse_talp_line("0p1 2-3").links == {(0, 1), (2, 3)}


def test_bad_link_names_line(tmp_path):
    path = tmp_path / "a.talp"
    path.write_text("0-0\n1-x\n")
    with pytest.raises(InputFormatError, match=r"line 2: '1-x' is not a link"):
        read_talp(path)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2**70), st.integers(0, 40), st.sampled_from("-p")), max_size=8),
       st.sampled_from([" ", "  ", "\t", " \u2003", "\x1c"]), st.sampled_from(["", " ", "\n", " \r\n"]))
def test_a_line_reads_as_the_links_it_names(links, separator, ending):
    """As arrays where every index fits them, else as Python ints; the same links either way."""
    line = separator.join(f"{i}{kind}{j}" for i, j, kind in links) + ending
    parsed = parse_talp_line(line)
    assert parsed == Alignment.of((i, j) for i, j, _ in links)
    assert (parsed.link_array is not None) == all(i < 2**63 for i, _, _ in links)
    assert format_talp_line(parsed) == " ".join(f"{i}-{j}" for i, j in sorted({(i, j) for i, j, _ in links}))


@pytest.mark.parametrize("line, bad", [("0-12-3", "0-12-3"), ("1-2 3-", "3-"), ("4-5,6-7", "4-5,6-7"), ("x", "x")])
def test_a_link_run_into_another_is_an_error(line, bad):
    with pytest.raises(ValueError, match=f"{bad!r} is not a link"):
        parse_talp_line(line)


def test_digits_of_other_scripts_still_read():
    assert parse_talp_line("\u0661-\u0662 3-4") == Alignment.of([(1, 2), (3, 4)])
