"""The parts of the survey import benchmark that :mod:`parindex.tools.bench.survey_import`
runs, at any scale and on whatever database Django is configured with.

* :mod:`~parindex.tools.bench.survey.world`: seeding the season and the questionnaire layout.
* :mod:`~parindex.tools.bench.survey.generate`: the synthetic CSV of forms.
* :mod:`~parindex.tools.bench.survey.baseline`: the plain ``COPY`` of the same rows.
* :mod:`~parindex.tools.bench.survey.timing`: wall time, CPU and memory of a step.
* :mod:`~parindex.tools.bench.survey.measure`: the timed import and computation, the report.
* :mod:`~parindex.tools.bench.survey.check`: the independent recomputation of a few units.
"""

from collections.abc import Callable

Out = Callable[[str], None]
"""Where the benchmark prints a line (the command's ``stdout.write``, or ``print``)."""
