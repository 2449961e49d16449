"""One module per paper (``<key>.py``), each exposing ``PAPER``, ``CLAIMS`` and optionally ``FIGURES``.

See :mod:`theory.registry` for discovery and :mod:`theory.claims` for the model.
"""
