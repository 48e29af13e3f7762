import pytest

from xner.errors import OutputError
from xner.io.files import atomic_output, check_output_dir, check_output_file, write_atomic


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "out.conll"
    path.write_text("old\n")
    with pytest.raises(RuntimeError), atomic_output(path) as handle:
        handle.write("half of the new")
        raise RuntimeError("the work failed half way")
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.conll"]
    write_atomic(path, "new\n")
    assert path.read_text() == "new\n" and len(list(tmp_path.iterdir())) == 1


def test_missing_parents_are_created(tmp_path):
    write_atomic(tmp_path / "a" / "b" / "out.txt", "x\n")
    assert (tmp_path / "a" / "b" / "out.txt").read_text() == "x\n"


def test_unwritable_outputs_are_refused_before_any_work(tmp_path):
    with pytest.raises(OutputError, match="is a directory"):
        check_output_file(tmp_path)
    (tmp_path / "file").write_text("")
    with pytest.raises(OutputError, match="file: is a file, not a directory"):
        check_output_dir(tmp_path / "file")
    with pytest.raises(OutputError, match="below: cannot be created: .*file is a file"):
        check_output_file(tmp_path / "file" / "below" / "out.conll")


def test_a_full_disk_is_an_output_error():
    with pytest.raises(OutputError, match="/dev/full: could not be written .*No space left.*free some space"):
        write_atomic("/dev/full", "x" * 100_000)
