"""Load benchmarks that drive the real stack (gunicorn + PostgreSQL) over HTTP on 127.0.0.1.

* :mod:`parindex.core.bench.load`: the season load benchmark (200 unit officials saving
  self-assessment items): fresh database, seeding through the services, gunicorn, locust,
  then a check in the database that every saved value is stored. Run it with
  ``.venv/bin/python -m parindex.core.bench.load --users 200 --duration 60``.
* :mod:`parindex.core.bench.locustfile`: the locust scenario it runs.

Results and how to read them: ``docs/performance.md``.
"""
