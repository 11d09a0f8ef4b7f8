"""The benchmark's generator and naive baseline compute what the engine computes."""

from parindex.engine import evaluate
from parindex.engine.bench import generate, naive_evaluate
from parindex.engine.evalfile import input_document, parse


def test_naive_baseline_agrees_with_the_engine() -> None:
    data = generate(units=300, leaves=40, seed=7)
    results = evaluate(data)
    baseline = naive_evaluate(data)
    assert {r.unit: (r.index, r.rank) for r in results.units} == baseline


def test_generated_period_is_a_valid_evaluation_file() -> None:
    data = generate(units=50, leaves=100, seed=1)
    assert len([n for n in data.criteria.nodes if n.parent]) > 100
    parsed = parse(input_document(data))  # raises if any generated value breaks a rule
    assert [u.index for u in evaluate(parsed).units] == [u.index for u in evaluate(data).units]
