"""Evaluation: ROUGE against references, peers side by side, tables and plots.

Entry points: :func:`newsweave.eval.harness.evaluate` (library) and the
``newsweave eval SET.jsonl`` command (:mod:`newsweave.eval.cli`).
"""
