import pytest

from xner.errors import InputFormatError
from xner.io.talp import parse_talp_line, read_talp, write_talp
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
