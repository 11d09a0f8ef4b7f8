"""Demo data (dữ liệu mẫu): a fictional province with units, criteria sets, two finalised
periods and final scores, and the current season in self-assessment, created by
``parindex demo``.

* :mod:`~parindex.tools.demo.units_data`: the province, its sở, huyện and xã.
* :mod:`~parindex.tools.demo.criteria_data`: the sample criteria sets as evaluation documents.
* :mod:`~parindex.tools.demo.scores`: deterministic values that fit every rule.
* :mod:`~parindex.tools.demo.season`: the current season ("Năm 2025"): deadlines,
  appraisers, each unit's progress saved and submitted through the season's services.
* :mod:`~parindex.tools.demo.build`: creating and deleting it all through the services, and
  the printed accounts.
"""
