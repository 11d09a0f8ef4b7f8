"""The survey import benchmark's own logic at a tiny scale
(``parindex/tools/bench/survey_import.py``): the seeded generator, the independent
recomputation of a unit's points, the refusal of anything but a local PostgreSQL, and the
whole measurement (seeding through the services, the COPY baseline on PostgreSQL, the
import, the computation, the verification) inside the test database. Nothing here creates,
drops or switches databases: that happens only in the benchmark's own process
(``python -m parindex.tools.bench.survey_import``)."""

from __future__ import annotations

import csv
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from pytest_django.fixtures import Settings

from parindex.assessments.models import Assessment
from parindex.surveys import defaults
from parindex.surveys.import_template import CHANNEL, COMMENT, DATE, KEY, UNIT
from parindex.surveys.models import SamplePlan, SurveyResponse, SurveyResult
from parindex.tools.bench.survey.check import expected_unit
from parindex.tools.bench.survey.generate import generate_csv
from parindex.tools.bench.survey.measure import measure, summary_lines
from parindex.tools.bench.survey.world import Layout, seed
from parindex.tools.bench.survey_import import survey_database_url


def _layout(**changes: object) -> Layout:
    """The default questionnaire's layout (13 questions in 5 factors, 1–5, satisfied from
    4, valid from half the questions), a survey worth 10 points, half-up to 2 places."""
    values: dict[str, object] = {
        "headers": [
            KEY,
            UNIT,
            DATE,
            CHANNEL,
            *(code for _, _, questions in defaults.FACTORS for code, _ in questions),
            *(code for code, _, _ in defaults.RESPONDENT_QUESTIONS),
            COMMENT,
        ],
        "factors": [
            (code, [q for q, _ in questions], D(1)) for code, _, questions in defaults.FACTORS
        ],
        "respondent": [(code, choices) for code, _, choices in defaults.RESPONDENT_QUESTIONS],
        "scale_min": 1,
        "scale_max": 5,
        "satisfied_at": defaults.SATISFIED_AT,
        "min_answered_share": defaults.MIN_ANSWERED_SHARE,
        "survey_max": D(10),
        "slope": None,
        "intercept": D(0),
        "rounding_mode": "half_up",
        "rounding_places": 2,
    }
    values.update(changes)
    return Layout(**values)  # type: ignore[arg-type]


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "sqlite:///var/parindex.sqlite3",
        "postgres://postgres@db.example.org:5432/parindex",
        "postgres://postgres@10.0.0.5/parindex",
    ],
)
def test_only_a_local_postgresql_is_accepted(url: str | None) -> None:
    with pytest.raises(SystemExit):
        survey_database_url(url)


def test_whatever_database_the_url_names_the_benchmark_uses_its_own() -> None:
    for name in ("parindex", "parindex_bench", "postgres"):
        assert (
            survey_database_url(f"postgres://postgres@127.0.0.1:5432/{name}")
            == "postgres://postgres@127.0.0.1:5432/parindex_bench_survey"
        )
    assert survey_database_url("postgresql://u:p@localhost/x?sslmode=disable") == (
        "postgresql://u:p@localhost/parindex_bench_survey?sslmode=disable"
    )


def test_the_command_refuses_sqlite_before_starting_anything(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:///var/parindex.sqlite3")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("bench", "survey-import", "--responses", "10", "--units", "2")
    monkeypatch.delenv("DATABASE_URL")
    with pytest.raises(CommandError, match="DATABASE_URL"):
        call_command("bench", "survey-import")


def test_the_generator_is_seeded_and_follows_the_template(tmp_path: Path) -> None:
    layout = _layout()
    units = [f"KS-XA-{i:05d}" for i in range(1, 21)]
    first = generate_csv(
        tmp_path / "a.csv", layout=layout, unit_codes=units, responses=3000, seed=7
    )
    generate_csv(tmp_path / "b.csv", layout=layout, unit_codes=units, responses=3000, seed=7)
    generate_csv(tmp_path / "c.csv", layout=layout, unit_codes=units, responses=3000, seed=8)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert (tmp_path / "a.csv").read_bytes() != (tmp_path / "c.csv").read_bytes()
    assert (tmp_path / "a.csv").read_bytes().startswith("\ufeff".encode())

    header, *rows = _read(tmp_path / "a.csv")
    assert header == layout.headers
    assert len(rows) == first.rows == 3000
    at = {name: i for i, name in enumerate(header)}
    assert len({row[at[KEY]] for row in rows}) == 3000
    per_unit = {code: 0 for code in units}
    for row in rows:
        per_unit[row[at[UNIT]]] += 1
    assert max(per_unit.values()) > 2 * min(per_unit.values())  # uneven, as in reality
    answered = [sum(1 for q in layout.questions if row[at[q]]) for row in rows]
    invalid = sum(1 for n in answered if n < layout.needed)
    assert invalid == first.invalid
    assert 0 < invalid < 3000 * 0.03
    blank = sum(1 for row in rows for q in layout.questions if not row[at[q]])
    assert blank == first.blank_answers
    assert 0.03 < blank / (3000 * len(layout.questions)) < 0.09
    assert all(
        row[at[q]] in ("", "1", "2", "3", "4", "5") for row in rows for q in layout.questions
    )
    assert any(row[at[COMMENT]] for row in rows)
    assert sum(1 for row in rows if row[at[COMMENT]]) < 3000 * 0.1
    assert any(row[at["TUOI"]] for row in rows)


def _row(unit: str, **answers: str) -> dict[str, str]:
    row = {UNIT: unit}
    row.update({q: answers.get(q, "") for q in _layout().questions})
    return row


def test_expected_unit_recomputes_points_from_the_rows() -> None:
    layout = _layout()
    every = layout.questions
    rows = [
        _row("KS-XA-00001", **dict.fromkeys(every, "5")),
        _row("KS-XA-00001", **{**dict.fromkeys(every, "2"), "TC1": "4"}),
        _row("KS-XA-00001", TC1="5", TT1="5", CC1="5"),  # 3 of 13 answered: invalid
        _row("KS-XA-00002", **dict.fromkeys(every, "1")),  # another unit
    ]
    # TC: 4 of 6 answers satisfied (66.67 %), the other factors 50 %: index 53.33…
    expected = expected_unit(rows, "KS-XA-00001", layout)
    assert (expected.forms, expected.valid_forms, expected.points) == (3, 2, D("5.33"))
    assert expected_unit(rows, "KS-XA-00002", layout).points == D("0.00")
    assert expected_unit(rows, "KS-XA-00003", layout).points is None


def test_expected_unit_rounds_as_the_questionnaire_says() -> None:
    one = {
        "headers": [],
        "factors": [("YT1", ["Q1"], D(1))],
        "respondent": [],
    }
    rows = [{UNIT: "X", "Q1": "5"}] + [{UNIT: "X", "Q1": "1"}] * 7  # 12.5 % → 1.25 points
    assert expected_unit(rows, "X", _layout(**one, rounding_places=1)).points == D("1.3")
    truncate = _layout(**one, rounding_places=1, rounding_mode="truncate")
    assert expected_unit(rows, "X", truncate).points == D("1.2")
    shifted = _layout(**one, slope=D("0.2"), intercept=D(-1))  # 0.2 × 12.5 − 1 = 1.5
    assert expected_unit(rows, "X", shifted).points == D("1.50")
    assert expected_unit(rows, "X", _layout(**one, slope=D(1))).points == D("10.00")  # clamped


@pytest.mark.django_db
def test_the_benchmark_runs_at_a_tiny_scale(tmp_path: Path, settings: Settings) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    seeded = seed(units=20)
    assert len(seeded.unit_codes) == 20
    assert seeded.layout.headers[:4] == [KEY, UNIT, DATE, CHANNEL]
    assert seeded.layout.survey_max == D(10)
    assert SamplePlan.objects.filter(period_id=seeded.period_id, surveyed=True).count() == 20
    assert Assessment.objects.filter(period_id=seeded.period_id).count() == 20
    path = tmp_path / "khao-sat.csv"
    generate_csv(path, layout=seeded.layout, unit_codes=seeded.unit_codes, responses=200, seed=2025)
    lines: list[str] = []

    report = measure(seeded, path, tmp_path, lines.append)

    assert report.passed, lines
    assert report.responses == 200
    assert SurveyResponse.objects.filter(period_id=seeded.period_id).count() == 200
    assert SurveyResult.objects.filter(period_id=seeded.period_id).count() == 20
    if connection.vendor == "postgresql":
        assert report.baseline is not None and report.baseline.seconds > 0
        assert report.baseline.database_cpu is not None
        assert not (tmp_path / "responses.copy").exists()
    else:
        assert report.baseline is None
    checked = [line for line in lines if "độc lập" in line and "khớp / match" in line]
    assert len(checked) >= 2, lines
    assert not any("MISMATCH" in line for line in lines)
    assert summary_lines(report)[-1] == "KẾT QUẢ / RESULT: ĐẠT / PASS"
