"""The scoring engine: the single source of every number parindex shows.

Pure Python (no Django), exact ``Decimal`` arithmetic throughout. The web application,
``parindex evaluate`` and the benchmarks all call :func:`evaluate`.
"""

from parindex.engine.errors import EngineError, InputError
from parindex.engine.evaluate import evaluate
from parindex.engine.model import (
    NOT_APPLICABLE,
    Band,
    Classification,
    CriteriaSet,
    EvaluationInput,
    GroupResult,
    NodeDef,
    Ratio,
    Results,
    Rounding,
    Rule,
    Tier,
    UnitInput,
    UnitResult,
)

__all__ = [
    "NOT_APPLICABLE",
    "Band",
    "Classification",
    "CriteriaSet",
    "EngineError",
    "EvaluationInput",
    "GroupResult",
    "InputError",
    "NodeDef",
    "Ratio",
    "Results",
    "Rounding",
    "Rule",
    "Tier",
    "UnitInput",
    "UnitResult",
    "evaluate",
]
