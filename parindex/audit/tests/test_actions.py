"""Every audit action code written anywhere in the code base has a Vietnamese name.

The source is read, not run: every call of ``record(...)``, ``event(...)`` or
``AuditEvent(...)`` with ``action=`` is found with :mod:`ast`; a literal code, both codes of
an ``a if c else b``, or a module constant are taken; the workflow's moves
(``Move("assessment.…", …)``) are taken from their constructors. Any other expression fails
the test until it is taught here, so that no code escapes the mapping.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from parindex.audit.actions import ACTIONS, GROUPS, action_choices, action_group, action_label

ROOT = Path(__file__).resolve().parents[2]
WRITERS = {"record", "event", "AuditEvent"}
PASS_THROUGH = {
    # (module, expression): the writers themselves pass their argument on
    ("audit/services.py", "action"),
    # the workflow writes kind.action of a Move: the Move constructors are collected
    ("assessments/workflow.py", "kind.action"),
    # a remediation task's move writes its Move's action (checked below)
    ("remediation/services.py", "MOVES[verb].action"),
}


def _constants(tree: ast.Module) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = node.value.value
    return found


def _values(expr: ast.expr, constants: dict[str, str]) -> list[str] | None:
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return [expr.value]
    if isinstance(expr, ast.IfExp):
        body, orelse = _values(expr.body, constants), _values(expr.orelse, constants)
        return None if body is None or orelse is None else body + orelse
    if isinstance(expr, ast.Name) and expr.id in constants:
        return [constants[expr.id]]
    return None


def _name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def written_codes() -> tuple[dict[str, str], list[str]]:
    """Every code found (→ where), and the call sites whose code could not be read."""
    codes: dict[str, str] = {}
    unread: list[str] = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/tests/" in f"/{relative}" or "/migrations/" in relative:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _constants(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node)
            if name == "Move" and node.args:
                for code in _values(node.args[0], constants) or []:
                    codes.setdefault(code, f"{relative}:{node.lineno}")
            if name not in WRITERS:
                continue
            for keyword in node.keywords:
                if keyword.arg != "action":
                    continue
                values = _values(keyword.value, constants)
                if values is None:
                    if (relative, ast.unparse(keyword.value)) not in PASS_THROUGH:
                        unread.append(f"{relative}:{node.lineno} {ast.unparse(keyword.value)}")
                    continue
                for code in values:
                    codes.setdefault(code, f"{relative}:{node.lineno}")
    return codes, unread


def test_the_scan_finds_the_known_writers() -> None:
    codes, _ = written_codes()
    for code in ("period.created", "assessment.submitted", "answer.appraised", "reminder.sent"):
        assert code in codes
    assert "criteria_set.shared" in codes and "criteria_set.unshared" in codes  # a if c else b


def test_every_written_action_has_a_vietnamese_name() -> None:
    codes, _ = written_codes()
    missing = {code: where for code, where in codes.items() if code not in ACTIONS}
    assert not missing, "Thêm tên tiếng Việt vào parindex/audit/actions.py cho: " + ", ".join(
        f"{code} ({where})" for code, where in sorted(missing.items())
    )


def test_every_action_call_is_readable() -> None:
    _, unread = written_codes()
    assert not unread, f"action= không đọc được (dùng chuỗi hoặc hằng): {unread}"


def test_every_workflow_move_is_named() -> None:
    from parindex.assessments import workflow

    moves = [v for v in vars(workflow).values() if isinstance(v, workflow.Move)]
    assert moves
    assert all(move.action in ACTIONS for move in moves)


@pytest.mark.parametrize("code", sorted(ACTIONS))
def test_names_are_vietnamese_sentences_and_grouped(code: str) -> None:
    label = ACTIONS[code]
    assert label and label[0].isupper() and label != code
    assert "." in code and code.partition(".")[0] in GROUPS


def test_labels_and_choices() -> None:
    assert action_label("assessment.submitted") == "Gửi hồ sơ tự đánh giá"
    assert action_label("no.such_code") == "no.such_code"
    assert action_group("answer.appraised") == "Nội dung chấm điểm"
    groups = dict(action_choices())
    assert ("period.created", "Tạo kỳ đánh giá") in groups["Kỳ đánh giá"]
    assert sum(len(options) for options in groups.values()) == len(ACTIONS)


def test_admin_lists_the_vietnamese_name() -> None:
    from parindex.audit.admin import AuditEventAdmin
    from parindex.audit.models import AuditEvent

    assert "action_name" in AuditEventAdmin.list_display
    admin = AuditEventAdmin(AuditEvent, None)  # type: ignore[arg-type]
    assert admin.action_name(AuditEvent(action="period.finalised")) == "Chốt kết quả kỳ đánh giá"


def test_every_remediation_move_is_named() -> None:
    from parindex.remediation.workflow import MOVES

    assert {move.action for move in MOVES.values()} <= set(ACTIONS)
