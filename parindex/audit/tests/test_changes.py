"""Before/after of an event in words."""

from __future__ import annotations

from parindex.audit.changes import changes, changes_text


def test_an_appraisal_change_reads_as_before_and_after() -> None:
    before = {
        "appraised_value": True,
        "appraised_not_applicable": False,
        "appraisal_round": 1,
        "appraisal_comment": "",
        "needs_explanation": False,
        "points": "1.5",
        "version": 3,
    }
    after = {
        **before,
        "appraised_value": False,
        "appraisal_comment": "Thiếu quyết định ban hành",
        "points": "1",
        "version": 4,
    }
    text = changes_text(changes(before, after, rule_type="boolean"))
    assert text == (
        "Giá trị thẩm định: Đạt → Không đạt; Điểm: 1,5 → 1; "
        "Ý kiến thẩm định: — → Thiếu quyết định ban hành"
    )


def test_a_field_not_recorded_before_is_shown_without_an_arrow() -> None:
    found = changes({"appraised_value": None}, {"appraised_value": "0.5", "points": "0.5"})
    assert [c.text for c in found] == ["Giá trị thẩm định: — → 0,5", "Điểm: 0,5"]


def test_ratio_values_statuses_times_and_flags() -> None:
    text = changes_text(
        changes(
            {"value": {"numerator": "7", "denominator": "9"}, "status": "in_progress"},
            {
                "value": {"numerator": "8", "denominator": "9"},
                "status": "submitted",
                "submitted_at": "2025-03-01T02:30:00+00:00",
                "not_applicable": True,
            },
            rule_type="ratio",
        )
    )
    assert "Giá trị tự đánh giá: 7/9 → 8/9" in text
    assert "Không áp dụng: Có" in text
    assert "Trạng thái: Đang tự đánh giá → Đã gửi" in text
    assert "Gửi lúc: 09:30 01/03/2025" in text  # Asia/Ho_Chi_Minh


def test_new_and_removed_objects_and_odd_payloads() -> None:
    assert changes(None, None) == []
    assert (
        changes_text(changes(None, {"name": "Kỳ 2026", "year": 2026})) == "Tên: Kỳ 2026; Năm: 2026"
    )
    assert changes_text(changes({"name": "Sở Y tế"}, None)) == "Tên: Sở Y tế"
    assert changes_text(changes("a", "b")) == "Giá trị: a → b"
    assert changes_text(changes({"version": 1}, {"version": 2})) == ""
    deadlines = changes(
        {"self_assessment_deadline": "2025-03-01T10:00:00+07:00"},
        {"self_assessment_deadline": "2025-03-08T10:00:00+07:00"},
    )
    assert deadlines[0].text == "Hạn tự đánh giá: 10:00 01/03/2025 → 10:00 08/03/2025"
    assert changes({"stage": "self_assessment"}, {"stage": "explanation"})[0].after == "Giải trình"
    assert changes(None, {"units": ["A", "B"], "unknown_key": 1})[1].text == "unknown key: 1"
