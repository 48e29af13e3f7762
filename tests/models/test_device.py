"""Where models run: the torch device check lives in tests/models/test_encoder.py and
tests/translation; here the spaCy side, which computes on a GPU through CuPy."""

import pytest
from thinc import util as thinc_util
from thinc.api import NumpyOps, get_current_ops

from xner.errors import ConfigError
from xner.models.device import spacy_gpu, spacy_ops


def test_spacy_cpu_and_auto_without_a_gpu(monkeypatch):
    monkeypatch.setattr(thinc_util, "has_cupy_gpu", False)
    assert spacy_gpu("cpu") is None and spacy_gpu("auto") is None and spacy_gpu(None) is None


@pytest.mark.parametrize("has_cupy, reason", [(False, "CuPy is not installed"), (True, "CuPy sees no CUDA GPU")])
def test_spacy_gpu_request_without_one_is_a_clear_error(monkeypatch, has_cupy, reason):
    monkeypatch.setattr(thinc_util, "has_cupy", has_cupy)
    monkeypatch.setattr(thinc_util, "has_cupy_gpu", False)
    for device in ("cuda", "cuda:1", "gpu"):
        with pytest.raises(ConfigError, match=f"device '{device}': spaCy cannot use a GPU here: {reason}.*set device to cpu"):
            spacy_gpu(device)
    with pytest.raises(ConfigError, match="spaCy runs on cpu, cuda or cuda:N"):
        spacy_gpu("tpu")


def test_spacy_gpu_index_when_cupy_sees_one(monkeypatch):
    monkeypatch.setattr(thinc_util, "has_cupy", True)
    monkeypatch.setattr(thinc_util, "has_cupy_gpu", True)
    assert spacy_gpu("auto") == 0 and spacy_gpu("cuda") == 0 and spacy_gpu("cuda:2") == 2


def test_spacy_ops_are_set_for_the_block_and_restored():
    before = get_current_ops()
    with spacy_ops(None):
        assert isinstance(get_current_ops(), NumpyOps)
    assert get_current_ops() is before
    if not thinc_util.has_cupy_gpu:  # thinc's own ValueError, told in our words
        with pytest.raises(ConfigError, match="cuda:0: spaCy cannot use this GPU .*set device to cpu"):
            with spacy_ops(0):
                pass
        assert get_current_ops() is before
