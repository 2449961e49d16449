"""theory.usersettings: a claim's reading of a user's settings; every given setting is used or refused by name."""
import numpy as np

from numerics.datasets import Dataset
from theory.usersettings import UserSettings


def _ds(**params):
    return Dataset(X=np.eye(2), y=np.array([1.0, -1.0]), name="mine", source="test", params=params)


def test_read_settings_are_used_and_the_rest_refused_by_name():
    us = UserSettings(_ds(m=7, lam10=-6, T=3.0))
    assert us.get("m", 20) == 7 and us.sigma(1e-3) == 1e-6 and us.get("seed", 4) == 4
    inst = us.instance("a run", {"x": 1}, description="d", cost="cost: n = 2")
    assert inst.params["x"] == 1
    assert inst.params["refused"] == {"T": "params.T = 3.0 is not a setting of this claim (it uses: m, lam, seed)"}
    assert inst.name == "mine (user data), a run"
    assert inst.description == "d; settings (m: given, sigma: given (lam10), seed: default); cost: n = 2"


def test_both_scales_are_refused_and_subclass_params_ride_along():
    class Paper(UserSettings):
        def extra_params(self):
            return {"alpha": 0.5}

    us = Paper(_ds(lam=1e-4, lam10=-6))
    assert us.sigma(1.0) == 1e-4
    inst = us.instance("r", {})
    assert inst.params["alpha"] == 0.5 and "both given" in inst.params["refused"]["lam10"]
    plain = UserSettings(_ds()).instance("r", {}).params
    assert "refused" not in plain and "alpha" not in plain and UserSettings(_ds()).sigma(0.25) == 0.25
