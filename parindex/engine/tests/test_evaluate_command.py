"""``parindex evaluate FILE``: results on stdout, or one line per problem on stderr and exit 2."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from parindex.engine.tests.builders import doc

FIXTURES = Path(__file__).parent / "fixtures"


def evaluate_file(
    tmp_path: Path, content: str | bytes, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    path = tmp_path / "input.json"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    code = 0
    try:
        call_command("evaluate", str(path))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def evaluate_doc(
    tmp_path: Path, document: Any, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    return evaluate_file(tmp_path, json.dumps(document, ensure_ascii=False), capsys)


def valid() -> dict[str, Any]:
    return doc(
        [
            {"code": "1", "name": "Chỉ đạo điều hành", "max": "3"},
            {
                "code": "1.1",
                "parent": "1",
                "name": "Kế hoạch",
                "max": "2",
                "rule": {"type": "percent"},
            },
            {
                "code": "1.2",
                "parent": "1",
                "name": "Tỷ lệ",
                "max": "1",
                "rule": {"type": "ratio", "floor": "0.70"},
            },
        ],
        [
            {"unit": "U1", "code": "1.1", "value": "95.68"},
            {"unit": "U1", "code": "1.2", "value": {"numerator": 164, "denominator": 739}},
        ],
        rounding="truncate",
    )


def test_it_prints_results_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = evaluate_doc(tmp_path, valid(), capsys)
    assert (code, err) == (0, "")
    results = json.loads(out)
    assert results["format"] == "parindex-results/1"
    assert results["units"][0]["points"] == "1.91"
    assert results["units"][0]["index"] == "63.66"  # index_rounding defaults to rounding: truncate


def test_the_console_script_exits_2_with_nothing_on_stdout(tmp_path: Path) -> None:
    bad = valid()
    bad["scores"][1]["value"] = {"numerator": 900, "denominator": 739}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    script = Path(sys.executable).parent / "parindex"
    proc = subprocess.run([str(script), "evaluate", str(path)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.strip().splitlines() == [
        "scores[1] (unit U1, node 1.2): numerator 900 > denominator 739 (tử số lớn hơn mẫu số)"
    ]
    assert "Traceback" not in proc.stderr


def test_an_integer_of_5000_digits_exits_2_with_its_line(tmp_path: Path) -> None:
    """Python's int() refuses past 4,300 digits with a ValueError: a traceback before."""
    text = json.dumps(valid(), indent=1).replace('"max": "3"', '"max": ' + "7" * 5000, 1)
    path = tmp_path / "long.json"
    path.write_text(text)
    script = Path(sys.executable).parent / "parindex"
    proc = subprocess.run([str(script), "evaluate", str(path)], capture_output=True, text=True)
    line = next(i for i, t in enumerate(text.splitlines(), start=1) if "7777" in t)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.strip().splitlines() == [
        f"JSON không hợp lệ (dòng {line}, cột 12): số nguyên dài 5.000 chữ số, tối đa 30 chữ "
        "số (ghi số dạng chuỗi thập phân nếu cần)"
    ]


def mutate(path: str, value: Any) -> dict[str, Any]:
    document = valid()
    target: Any = document
    keys = path.split("/")
    for key in keys[:-1]:
        target = target[int(key)] if key.isdigit() else target[key]
    last = keys[-1]
    if value is DELETE:
        del target[int(last) if last.isdigit() else last]
    elif last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value
    return document


DELETE = object()

BAD_INPUTS = [
    ("unknown unit", "scores/0/unit", "U9", "scores[0] (unit U9, node 1.1): đơn vị 'U9'"),
    ("unknown node", "scores/0/code", "9.9", "tiêu chí '9.9' không có trong bộ tiêu chí"),
    ("wrong kind for rule", "scores/1/value", "0.5", "scores[1] (unit U1, node 1.2).value: cần"),
    ("percent out of range", "scores/0/value", "101", "tỷ lệ 101% nằm ngoài khoảng 0..100"),
    ("value on a parent", "scores/0/code", "1", "chỉ được đánh dấu not_applicable"),
    ("unknown parent", "criteria_set/nodes/1/parent", "7", "tiêu chí cha '7' không tồn tại"),
    ("children below max", "criteria_set/nodes/0/max", "5", "nhỏ hơn điểm tối đa 5"),
    ("non-positive max", "criteria_set/nodes/2/max", "0", "điểm tối đa phải lớn hơn 0"),
    ("unknown rule", "criteria_set/nodes/1/rule", {"type": "magic"}, "loại quy tắc không hỗ trợ"),
    ("bad rounding", "criteria_set/rounding", {"mode": "banker"}, "criteria_set.rounding.mode"),
    ("not a number", "criteria_set/nodes/2/max", "một", "cần một số"),
    ("wrong format", "format", "parindex-evaluation/9", "format: cần 'parindex-evaluation/1'"),
    ("no units", "units", DELETE, "units: thiếu danh sách đơn vị"),
    ("float NaN text", "scores/0/value", "NaN", "cần một số"),
    (
        "negative tier threshold",
        "criteria_set/nodes/2/rule",
        {"type": "tiers", "tiers": [{"min": "1", "points": "1"}, {"min": "-1", "points": "0"}]},
        "criteria_set.nodes[2] (node 1.2).rule.tiers[1].min: ngưỡng của mức (-1) không được âm",
    ),
    (
        "negative zero tier points",
        "criteria_set/nodes/2/rule",
        {"type": "tiers", "tiers": [{"min": "0.5", "points": "-0.00"}]},
        "rule.tiers[0].points: điểm của mức (-0.00) phải trong khoảng 0..1",
    ),
    ("negative zero floor", "criteria_set/nodes/2/rule/floor", "-0", "cần một tỷ lệ"),
]


@pytest.mark.parametrize(
    ("case", "path", "value", "expected"), BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS]
)
def test_bad_input_is_rejected_with_a_located_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case: str,
    path: str,
    value: Any,
    expected: str,
) -> None:
    code, out, err = evaluate_doc(tmp_path, mutate(path, value), capsys)
    assert code == 2
    assert out == ""
    assert expected in err
    assert "Traceback" not in err


def test_duplicate_score_entry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = valid()
    document["scores"].append(dict(document["scores"][0]))
    code, _, err = evaluate_doc(tmp_path, document, capsys)
    assert (
        code == 2 and "scores[2] (unit U1, node 1.1): điểm bị nhập trùng (đã có ở scores[0])" in err
    )


def test_cycle_in_the_tree(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = valid()
    document["criteria_set"]["nodes"][0]["parent"] = "1.1"
    code, _, err = evaluate_doc(tmp_path, document, capsys)
    assert code == 2 and "vòng lặp" in err


def test_bands_must_descend(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = valid()
    document["classification"] = {
        "bands": [{"label": "B", "min": "80"}, {"label": "A", "min": "90"}]
    }
    code, _, err = evaluate_doc(tmp_path, document, capsys)
    assert code == 2 and "classification.bands[1].min" in err


def test_every_problem_gets_its_own_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = valid()
    document["scores"][0]["value"] = "150"
    document["scores"][1]["unit"] = "NOPE"
    code, out, err = evaluate_doc(tmp_path, document, capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "JSON không hợp lệ (dòng 1, cột 2)"),
        (b"\xff\xfe\x00", "UTF-8"),
        ("[]", "$: cần một đối tượng JSON"),
        ('{"a": 1, "a": 2}', "khóa 'a' lặp lại"),
        ('{"x": NaN}', "NaN không phải là số"),
    ],
)
def test_invalid_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: Any, expected: str
) -> None:
    code, out, err = evaluate_file(tmp_path, content, capsys)
    assert (code, out) == (2, "")
    assert expected in err


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        call_command("evaluate", str(tmp_path / "nope.json"))
    assert exc.value.code == 2
    assert "không đọc được tệp" in capsys.readouterr().err


def test_previous_results_give_year_over_year_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    previous = tmp_path / "prev.json"
    previous.write_text(
        json.dumps(
            {"format": "parindex-results/1", "units": [{"unit": "U1", "index": "60.00", "rank": 3}]}
        )
    )
    path = tmp_path / "now.json"
    path.write_text(json.dumps(valid()))
    call_command("evaluate", str(path), "--previous", str(previous))
    unit = json.loads(capsys.readouterr().out)["units"][0]
    assert (unit["index_change"], unit["previous_rank"], unit["rank_change"]) == ("3.66", 3, 2)


def test_without_classification_there_is_no_class(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = evaluate_doc(tmp_path, valid(), capsys)
    assert code == 0
    assert "class" not in json.loads(out)["units"][0]
