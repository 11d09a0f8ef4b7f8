"""Benchmarks that need Django and a database (the pure engine benchmark is
:mod:`parindex.engine.bench`). ``parindex bench engine|survey-import|ranking``
(:mod:`parindex.tools.management.commands.bench`) dispatches to them.

* :mod:`parindex.tools.bench.load`: the season load benchmark (200 unit officials saving
  self-assessment items) that drives the real stack (gunicorn + PostgreSQL) over HTTP on
  127.0.0.1: fresh database, seeding through the services, gunicorn, locust, then a check
  in the database that every saved value is stored. Run it with
  ``.venv/bin/python -m parindex.tools.bench.load --users 200 --duration 60``.
* :mod:`parindex.tools.bench.season_load`: its parts (seeding, the typed values and the
  save log, the server, driving locust, the database check, the statistics, the report).
* :mod:`parindex.tools.bench.locustfile`: the locust scenario it runs.
* :mod:`parindex.tools.bench.survey_import`: ``parindex bench survey-import``, a national
  survey season's forms from CSV to points; its parts are in
  :mod:`parindex.tools.bench.survey`.
* :mod:`parindex.tools.bench.ranking`: ``parindex bench ranking``, the public ranking page
  of an 11,000-commune group.
* Shared by them: :mod:`~parindex.tools.bench.database` (the benchmark databases),
  :mod:`~parindex.tools.bench.machine` (CPU and memory from ``/proc``) and
  :mod:`~parindex.tools.bench.communes` (a province and its communes).

Results and how to read them: ``docs/performance.md``.
"""
