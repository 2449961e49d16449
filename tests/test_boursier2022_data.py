"""boursier2022 claims on user data (``earlyalign check ... --data``): bad inputs end as ERROR or NOT_APPLICABLE
with the value that fails, never as a verdict, and never with numpy warnings; the dataset's loss reduction is
honoured (Lemma 1) or refused by name (Lemma 2, stated for the mean loss (1/2n) sum_k of Eq. (1))."""
from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

from checks.runner import run_claims
from numerics.datasets import load_user_dataset
from theory import registry
from theory.claims import Status

I4 = np.eye(4).tolist()


def _run(tmp_path, cid_prefix, payload):
    f = tmp_path / "data.json"
    f.write_text(json.dumps(payload))
    ds = load_user_dataset(f)
    claims = [c for c in registry.claims() if c.id == cid_prefix or c.id.startswith(cid_prefix + ".")]
    assert claims, cid_prefix
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run = run_claims(claims, data=ds, quiet=True)
    return run, [str(w.message) for w in caught]


def test_overflowing_inputs_are_an_error_not_a_verdict(tmp_path):
    # X = 1e200 I: h and the loss overflow float64; the old code reported loss_T = inf and HOLDS (its mutant too)
    run, warns = _run(tmp_path, "boursier2022.lemma1", {"X": (1e200 * np.eye(4)).tolist(), "y": [1, .6, -.5, -.3]})
    (ev,) = run.evidences
    assert ev.status == Status.ERROR and "not finite" in ev.message and "1e+200" in ev.message
    assert ev.mutant is None and run.exit_code() == 2
    assert not warns, warns


def test_labels_of_one_sign_are_not_applicable_naming_assumption_3(tmp_path):
    run, warns = _run(tmp_path, "boursier2022.lemma2", {"X": I4, "y": [1, .6, .5, .3]})
    assert len(run.evidences) == 3
    for ev in run.evidences:
        assert ev.status == Status.NOT_APPLICABLE, ev.message
        assert ev.message.startswith("hypothesis fails: Assumption 3")
        assert "no negative label (n_+ = 4, n_- = 0)" in ev.message
    assert not warns, warns


def test_sum_reduction_is_refused_by_name_for_lemma2(tmp_path):
    run, warns = _run(tmp_path, "boursier2022.lemma2", {"X": I4, "y": [1, .6, -.5, -.3], "reduction": "sum"})
    for ev in run.evidences:
        assert ev.status == Status.NOT_APPLICABLE
        assert "square loss with reduction mean (1/2n)" in ev.message and "reduction = sum" in ev.message
    assert not warns, warns


def test_sum_reduction_is_honoured_by_lemma1(tmp_path):
    # Lemma 1 holds for any loss of the outputs: with reduction "sum" the flow is the mean flow sped up n = 4 times,
    # so at the same horizon its loss is (much) smaller than the mean flow's, and the invariant is still conserved
    payload = {"X": I4, "y": [1, .6, -.5, -.3], "params": {"T": 20.0}}
    mean, _ = _run(tmp_path, "boursier2022.lemma1", payload)
    summ, warns = _run(tmp_path, "boursier2022.lemma1", {**payload, "reduction": "sum"})
    (em,), (es,) = mean.evidences, summ.evidences
    assert em.status == es.status == Status.HOLDS
    im, is_ = em.grid[0]["info"], es.grid[0]["info"]
    assert im["reduction"] == "mean" and is_["reduction"] == "sum"
    assert is_["loss_T"] < 0.5 * im["loss_T"]
    assert not warns, warns
