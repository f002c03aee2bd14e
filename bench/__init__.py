"""Benchmark suite of Mandate Planner (``python bench/run.py``; results in ``bench/RESULTS.md``).

- ``run.py``: the command line; ``cases.py``: the scenarios measured;
  ``probes.py``: what is timed on each; ``highs.py``: HiGHS on its own and its
  share of the planner's solves; ``memory.py``, ``contention.py``: the probes
  that run in fresh processes; ``crossover.py``: highs-ds against highs-ipm;
  ``report.py``: the tables and notes; ``timing.py``, ``environment.py``: the
  clock and what it ran on.
- ``gui.py`` (children in ``gui_child.py``): GUI cold start and slider latency.
- ``generate.py``: seeded scenarios of a given size; ``pulp_model.py``: the
  PuLP + CBC baseline; ``sweeps.py``: warm sweeps against cold solves;
  ``analyses.py``: SMAA and stability against their targets (its own section of RESULTS.md).
"""
