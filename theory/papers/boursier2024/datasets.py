"""boursier2024's datasets (catalog ``claims_003.md`` §1.1) and the validator of its assumptions, under the names
the registry exposes (``"boursier2024.DS-P"``, ...). The constructions still live in :mod:`numerics.datasets`."""
from __future__ import annotations

from numerics.datasets import Dataset, assumption3_eta_min, stewart, three_point, three_point_box
from numerics.datasets import boursier2024_ds_2n as ds_2n
from numerics.datasets import boursier2024_ds_g as ds_g
from numerics.datasets import boursier2024_ds_s6 as ds_s6
from numerics.datasets import boursier2024_ds_v as ds_v
from numerics.datasets import validate_boursier2024 as validate

__all__ = ["Dataset", "three_point", "three_point_box", "ds_g", "ds_s6", "ds_v", "ds_2n", "stewart",
           "assumption3_eta_min", "validate", "DATASETS"]

DATASETS = {
    "DS-P": three_point,
    "DS-G": ds_g,
    "DS-S6": ds_s6,
    "DS-V": ds_v,
    "DS-2N": ds_2n,
    "box": three_point_box,
    "stewart": stewart,
}
