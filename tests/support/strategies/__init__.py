"""Hypothesis strategies for the fuzz tests, by what they generate.

- :mod:`.scenarios`: valid scenario dicts of every shape the contract allows
  (:func:`~.scenarios.scenario_dicts`), built from :mod:`.values` (ids, texts,
  JSON values, numbers);
- :mod:`.hostile_files`: a valid file broken in one way
  (:func:`~.hostile_files.corruptions`, :class:`~.corruption.Corruption`), the
  kinds in :mod:`.broken_content` (what the file says) and :mod:`.broken_text`
  (how it is written), places picked with :mod:`.contract`;
- :mod:`.extreme_numbers`: valid files with numbers at the edges of the range;
- :mod:`.v2`: small valid contract-v2 scenarios for the reference comparisons
  (:func:`~.v2.v2_scenario_dicts`) and the capacities one may raise.
"""
