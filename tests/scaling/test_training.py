"""Trainings run one by one or in forked processes (xner.scaling.training.trained)."""

import os
from pathlib import Path

import pytest

from xner.errors import ConfigError
from xner.scaling.config import SweepConfig
from xner.scaling.training import Outcome, Scores, Training, TrainingSet, trained
from xner.types import Sentence


class Runner:
    """Trains nothing: reports the process it ran in as its sentence count."""

    def __init__(self, fail: int | None = None, die: int | None = None):
        self.config = SweepConfig(source="en.conll", translations=Path("es.txt"), test="es.conll")
        self.fail, self.die = fail, die

    def run(self, sentences, bank, indices, seed, warm=False):
        if seed == self.fail:
            raise ConfigError(f"training {seed} failed")
        if seed == self.die:
            os._exit(1)  # killed: no outcome, no exception
        return Outcome(os.getpid(), float(seed), Scores(1.0, 1.0, 1.0), None)


def trainings(count):
    data = TrainingSet("ngram", 4, None, [Sentence(("a",))] * 4, range(4), None, 0.0, 0.0, 0.0)
    return [Training(data, seed) for seed in range(count)]


def test_forked_trainings_give_every_outcome_each_from_a_process_of_its_own():
    jobs = trainings(6)
    here = dict(trained(Runner(), jobs, [1, 2, 4], workers=1))
    assert sorted(here) == [1, 2, 4] and {o.sentences for o in here.values()} == {os.getpid()}
    forked = dict(trained(Runner(), jobs, [0, 1, 2, 3, 5], workers=2))
    assert sorted(forked) == [0, 1, 2, 3, 5] and all(forked[k].train_s == k for k in forked)
    assert os.getpid() not in {o.sentences for o in forked.values()}


def test_a_failed_training_is_raised_where_the_sweep_runs():
    with pytest.raises(ConfigError, match="training 3 failed"):
        list(trained(Runner(fail=3), trainings(6), list(range(6)), workers=2))


def test_a_killed_training_process_ends_the_sweep_instead_of_hanging():
    with pytest.raises(RuntimeError, match="--resume"):
        list(trained(Runner(die=2), trainings(6), list(range(6)), workers=2))
