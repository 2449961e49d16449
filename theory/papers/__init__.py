"""One package per paper, ``theory/papers/<key>/``, each exposing ``PAPER``, ``CLAIMS`` and optionally ``FIGURES``
and ``DATASETS`` (the contract, step by step: ``theory/papers/README.md``).

See :mod:`theory.registry` for discovery and :mod:`theory.claims` for the model.
"""
