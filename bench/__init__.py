"""Benchmark suite of Mandate Planner (``python bench/run.py``)."""
