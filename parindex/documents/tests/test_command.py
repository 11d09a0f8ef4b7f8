"""``parindex document``: the same path as the job, exit 2 with a Vietnamese message for
what does not exist or is not ready."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from parindex.results.models import ResultVersion
from parindex.results.tests.conftest import Scenario

pytestmark = pytest.mark.django_db


def test_the_command_writes_the_report(
    scenario: Scenario, published: ResultVersion, tmp_path: Path
) -> None:
    out = tmp_path / "bao-cao.xlsx"
    call_command(
        "document",
        "results",
        "--period",
        str(scenario.p2024.pk),
        "--format",
        "xlsx",
        "-o",
        str(out),
    )
    assert out.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["results", "--period", "999999"], "Không có kỳ đánh giá mã số 999999."),
        (["bao-cao", "--period", "{p}"], "Không có loại văn bản “bao-cao”"),
        (["results", "--period", "{p}", "--format", "odt"], "Định dạng “odt” không hỗ trợ"),
        (["results", "--period", "{p}", "--group", "khong-co"], "không có nhóm đơn vị “khong-co”"),
        (
            ["self-assessment", "--period", "{p}", "--unit", "KHONG-CO"],
            "Không có đơn vị mã “KHONG-CO”",
        ),
        (["minutes", "--period", "{p}"], "hãy chọn đơn vị"),
        (["results", "--period", "{p2025}"], "chưa có kết quả đã tính"),
    ],
)
def test_bad_arguments_exit_2_with_the_reason(
    scenario: Scenario, published: ResultVersion, tmp_path: Path, args: list[str], message: str
) -> None:
    filled = [a.format(p=scenario.p2024.pk, p2025=scenario.p2025.pk) for a in args] + [
        "-o",
        str(tmp_path / "x.docx"),
    ]
    with pytest.raises(CommandError) as caught:
        call_command("document", *filled)
    assert caught.value.returncode == 2
    assert message in str(caught.value)
    assert not (tmp_path / "x.docx").exists()


@pytest.mark.slow
def test_the_real_command_exits_2(tmp_path: Path) -> None:
    """The whole program, as a person runs it (no such period in a new database)."""
    env = {"PARINDEX_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "parindex.cli", "migrate", "-v0"], env=env, check=True)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "parindex.cli",
            "document",
            "results",
            "--period",
            "0",
            "-o",
            str(tmp_path / "x.pdf"),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "Không có kỳ đánh giá mã số 0." in done.stderr
