"""What the planner's tests share: the plan oracle and the Hypothesis strategies.

- :mod:`support.oracle`: every constraint of the contract checked on a solved
  plan (:func:`~support.oracle.check_plan` for v1,
  :func:`~support.oracle.check_plan_json` for v2 on the ``solve --json`` form),
  and what an infeasible result must carry (:func:`~support.oracle.check_diagnosis`,
  :func:`~support.oracle.check_diagnosis_json`);
- :mod:`support.reference_lp` (v1) and :mod:`support.reference_v2` (v2):
  independently built models, the optimum to compare the planner's score
  against (v2 also: the status quo and the tie-break's totals);
- :mod:`support.params` (v1) and :mod:`support.params_v2` (v2): the model's
  parameters and score read straight from a scenario dict (used by both);
- :mod:`support.strategies`: what the fuzz tests generate (v2 scenarios in
  :mod:`support.strategies.v2`);
- :mod:`support.profiles`: the default and fuzz Hypothesis profiles.

The test files import it as ``support`` (``tests/`` is on ``sys.path`` when
pytest runs them).
"""
