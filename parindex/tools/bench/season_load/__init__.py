"""The parts of the season load benchmark that :mod:`parindex.tools.bench.load` runs.

* :mod:`~parindex.tools.bench.season_load.world`: seeding the communes, accounts and period.
* :mod:`~parindex.tools.bench.season_load.saves`: the values typed and the log of confirmed
  saves (no Django: the locustfile imports it).
* :mod:`~parindex.tools.bench.season_load.server`: gunicorn and its settings.
* :mod:`~parindex.tools.bench.season_load.locust_run`: driving locust and sampling the CPU.
* :mod:`~parindex.tools.bench.season_load.locust_stats`: locust's statistics.
* :mod:`~parindex.tools.bench.season_load.check`: the database check of every save.
* :mod:`~parindex.tools.bench.season_load.save_profile`: profiling one save in-process.
* :mod:`~parindex.tools.bench.season_load.report`: settings, outcome and summary.
"""
