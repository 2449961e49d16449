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


def test_read_settings_grid_scale_init_and_unused_keys():
    from theory.usersettings import read_settings
    out, unused = read_settings(_ds(lam=1e-4, m=5, T=2.0), ("grid", "m", "seed"), grid=[-2, -8], m=40, seed=None)
    assert out == {"grid": [-4.0], "m": 5} and unused == ["T"]
    out, unused = read_settings(_ds(lam10_grid=[-3, -6], init="sphere-sign"), ("grid", "lam10", "init"),
                                init_names={"sphere-sign": "sphere"}, grid=[-1], lam10=-2, init="balanced")
    assert out == {"grid": [-3.0, -6.0], "lam10": -2.0, "init": "sphere"} and unused == []
    out, _ = read_settings(_ds(init="xavier"), ("init",), init="balanced")   # kept as named: a hypothesis names it
    assert out == {"init": "xavier"}


def test_settings_hypothesis_names_each_refused_setting():
    from theory.usersettings import SETTINGS
    us = UserSettings(_ds(m=3, width=9))
    us.get("m", 1)
    assert SETTINGS.evaluate(us.instance("r", {}))["state"] == "fails"
    assert "params.width = 9 is not a setting" in SETTINGS.evaluate(us.instance("r", {}))["detail"]
    ok = UserSettings(_ds(m=3))
    ok.get("m", 1)
    assert SETTINGS.evaluate(ok.instance("r", {}))["state"] == "holds"
