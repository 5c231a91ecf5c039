"""The app's tabs: one module each, with one ``render(state, res)`` function.

``state`` is the app's :class:`~calculator.scenario_file.ScenarioFile`; ``res`` is
:func:`webapp.compute.headline`'s result for it (summary, histogram, breakdown). Only the
open tab is rendered (``app.py``), and each computes what it needs through
:mod:`webapp.compute`'s caches. No arithmetic here: figures come from ``calculator``.
"""
