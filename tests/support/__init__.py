"""What the planner's tests share: the plan oracle and the Hypothesis strategies.

- :mod:`support.oracle`: every constraint of the contract checked on a solved
  plan (:func:`~support.oracle.check_plan`), and what an infeasible result must
  carry (:func:`~support.oracle.check_diagnosis`);
- :mod:`support.reference_lp`: an independently built LP, the optimum to
  compare the planner's score against;
- :mod:`support.params`: the model's parameters and score read straight from a
  scenario dict (used by both);
- :mod:`support.strategies`: what the fuzz tests generate.

The test files import it as ``support`` (``tests/`` is on ``sys.path`` when
pytest runs them).
"""
