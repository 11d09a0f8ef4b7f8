"""Tools on top of every app: the demo data (``parindex demo``) and the benchmarks
(``parindex bench …``, the season load benchmark). Nothing in the apps imports this package.

* :mod:`parindex.tools.demo`: the fictional province, its criteria sets, periods and season.
* :mod:`parindex.tools.bench`: the benchmarks that need Django and a database (the pure
  engine benchmark stays in :mod:`parindex.engine.bench`).
"""
