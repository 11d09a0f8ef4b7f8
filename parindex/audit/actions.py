"""The Vietnamese name of every audit action code: the one mapping the council's page
(Nhật ký), its exports and the admin read.

A service writes a dotted code (``assessment.submitted``) so that a grep finds every writer;
people read the name here ("Gửi hồ sơ tự đánh giá"). ``tests/test_actions.py`` reads the
source of every ``record(...)``/``event(...)`` call and fails for a code missing below: add
the name in the same change as the code.
"""

from __future__ import annotations

ACTIONS: dict[str, str] = {
    # Kỳ đánh giá
    "period.created": "Tạo kỳ đánh giá",
    "period.copied": "Sao chép kỳ đánh giá",
    "period.deleted": "Xoá kỳ đánh giá",
    "period.status_changed": "Đổi trạng thái kỳ đánh giá",
    "period.deadlines_changed": "Đổi thời hạn của kỳ",
    "period.settings_changed": "Đổi thiết lập của kỳ",
    "period.group_bound": "Gắn bộ tiêu chí cho nhóm đơn vị",
    "period.group_unbound": "Bỏ gắn bộ tiêu chí của nhóm đơn vị",
    "period.excluded_nodes_changed": "Đổi danh sách chưa đánh giá ở kỳ 6 tháng",
    "period.previous_set": "Chọn kỳ trước để so sánh",
    "period.self_assessment_opened": "Mở tự đánh giá",
    "period.appraisal_started": "Bắt đầu thẩm định vòng 1",
    "period.explanation_opened": "Mở giải trình",
    "period.round_2_started": "Bắt đầu thẩm định vòng 2",
    "period.finalised": "Chốt kết quả kỳ đánh giá",
    "deadline.extended": "Gia hạn cho đơn vị",
    # Phân công thẩm định
    "assignment.created": "Phân công thẩm định",
    "assignment.changed": "Sửa phân công thẩm định",
    "assignment.deleted": "Bỏ phân công thẩm định",
    # Hồ sơ tự đánh giá (the workflow's moves)
    "assessment.self_started": "Bắt đầu tự đánh giá",
    "assessment.submitted": "Gửi hồ sơ tự đánh giá",
    "assessment.withdrawn": "Rút hồ sơ tự đánh giá",
    "assessment.locked": "Khoá hồ sơ tự đánh giá",
    "assessment.unlocked": "Mở lại hồ sơ tự đánh giá",
    "assessment.explanation_requested": "Yêu cầu giải trình",
    "assessment.explanation_sent": "Gửi giải trình",
    "assessment.explanation_withdrawn": "Rút giải trình",
    "assessment.explanation_closed": "Khoá giải trình",
    "assessment.finalised": "Chốt kết quả của đơn vị",
    "assessment.final_scores_stored": "Lưu điểm chính thức của đơn vị",
    "assessment.final_scores_bulk_stored": "Lưu điểm chính thức của các đơn vị",
    "assessment.report_saved": "Lưu báo cáo tự đánh giá",
    # Nội dung chấm điểm
    "answer.self_saved": "Tự đánh giá nội dung",
    "answer.appraised": "Thẩm định nội dung",
    "answer.appraisal_accepted": "Chấp nhận điểm tự chấm",
    "answer.explained": "Giải trình nội dung",
    # Tài liệu kiểm chứng
    "evidence.uploaded": "Tải lên tài liệu kiểm chứng",
    "evidence.attached": "Gắn tài liệu kiểm chứng",
    "evidence.cited": "Dẫn văn bản kiểm chứng",
    "evidence.detached": "Gỡ tài liệu kiểm chứng",
    "evidence.checked": "Kiểm tra chữ ký số",
    "evidence.recheck_requested": "Yêu cầu kiểm tra lại chữ ký số",
    "trust_anchor.added": "Thêm chứng thư tin cậy",
    "trust_anchor.activated": "Bật chứng thư tin cậy",
    "trust_anchor.deactivated": "Tắt chứng thư tin cậy",
    # Bộ tiêu chí
    "criteria_set.imported": "Nhập bộ tiêu chí",
    "criteria_set.cloned": "Sao chép bộ tiêu chí",
    "criteria_set.updated": "Sửa bộ tiêu chí",
    "criteria_set.shared": "Chia sẻ bộ tiêu chí",
    "criteria_set.unshared": "Thôi chia sẻ bộ tiêu chí",
    "criteria_set.deleted": "Xoá bộ tiêu chí",
    "criteria_set.archived": "Lưu trữ bộ tiêu chí",
    "criteria_set.restored": "Khôi phục bộ tiêu chí đã lưu trữ",
    # Kết quả
    "results.compute_started": "Tính kết quả",
    "document.requested": "Yêu cầu tạo văn bản",
    "document.generated": "Tạo văn bản",
    "document.template_uploaded": "Tải lên mẫu văn bản",
    "document.template_reset": "Thôi dùng mẫu văn bản tải lên",
    "document.text_saved": "Soạn nội dung văn bản",
    "results.published": "Công bố kết quả",
    "results.draft_discarded": "Huỷ bản kết quả nháp",
    "results.leader_rules_updated": "Sửa quy tắc xếp loại người đứng đầu",
    "results.history_imported": "Nhập kết quả các năm trước",
    "results.decision_uploaded": "Đính kèm quyết định công bố đã ký số",
    "results.decision_removed": "Gỡ quyết định công bố đã ký số",
    "results.decision_checked": "Kiểm tra thu hồi chứng thư của quyết định công bố",
    # Khảo sát sự hài lòng
    "survey.questionnaire_created": "Tạo phiếu khảo sát",
    "survey.questionnaire_cloned": "Sao chép phiếu khảo sát",
    "survey.questionnaire_updated": "Sửa phiếu khảo sát",
    "survey.device_guard_changed": "Đổi giới hạn một phiếu mỗi thiết bị",
    "survey.plans_created": "Lập kế hoạch mẫu khảo sát",
    "survey.plan_updated": "Sửa kế hoạch mẫu khảo sát",
    "survey.tokens_issued": "Phát mã khảo sát",
    "survey.response_online": "Nhận phiếu khảo sát trực tuyến",
    "survey.import_queued": "Gửi tệp phiếu khảo sát để nhập",
    "survey.imported": "Nhập phiếu khảo sát",
    "survey.compute_started": "Tính điểm khảo sát",
    "survey.computed": "Đã tính điểm khảo sát",
    "survey.export_started": "Xuất phiếu khảo sát",
    # Đơn vị
    "unit.created": "Thêm đơn vị",
    "unit.bulk_created": "Thêm nhiều đơn vị",
    "unit.updated": "Sửa đơn vị",
    "unit.bulk_deleted": "Xoá đơn vị",
    "unit_group.created": "Thêm nhóm đơn vị",
    "unit_group.updated": "Sửa nhóm đơn vị",
    "unit_group.deleted": "Xoá nhóm đơn vị",
    # Phân công trong đơn vị
    "section.created": "Thêm bộ phận của đơn vị",
    "section.changed": "Sửa bộ phận của đơn vị",
    "section.deleted": "Xoá bộ phận của đơn vị",
    "item_assignment.saved": "Phân công nội dung cho cán bộ, bộ phận",
    "item_assignment.deleted": "Bỏ phân công nội dung",
    # Nhiệm vụ khắc phục điểm bị trừ
    "task.created": "Giao nhiệm vụ khắc phục",
    "task.changed": "Sửa nhiệm vụ khắc phục",
    "task.started": "Bắt đầu thực hiện nhiệm vụ khắc phục",
    "task.completed": "Hoàn thành nhiệm vụ khắc phục",
    "task.dropped": "Dừng nhiệm vụ khắc phục",
    "task.reopened": "Mở lại nhiệm vụ khắc phục",
    "task.commented": "Trao đổi về nhiệm vụ khắc phục",
    "task.evidence_added": "Thêm tài liệu kết quả khắc phục",
    "task.evidence_removed": "Gỡ tài liệu kết quả khắc phục",
    # Kế hoạch CCHC
    "plan.created": "Lập kế hoạch CCHC",
    "plan.changed": "Sửa thông tin kế hoạch CCHC",
    "plan.deleted": "Xoá kế hoạch CCHC",
    "plan.imported": "Nhập nội dung kế hoạch CCHC từ tệp",
    "plan.item_added": "Thêm nội dung kế hoạch CCHC",
    "plan.item_changed": "Sửa nội dung kế hoạch CCHC",
    "plan.item_deleted": "Xoá nội dung kế hoạch CCHC",
    "plan.item_done": "Xác nhận hoàn thành nội dung kế hoạch",
    "plan.item_undone": "Bỏ xác nhận hoàn thành nội dung kế hoạch",
    # Thông báo, nhắc việc
    "notice.sent": "Gửi thông báo",
    "notice.read": "Đọc thông báo",
    "notice.read_all": "Đánh dấu đã đọc mọi thông báo",
    "reminder.sent": "Gửi nhắc việc",
    "reminder.not_submitted": "Nhắc đơn vị chưa gửi hồ sơ",
    # Tài khoản
    "account.created": "Tạo tài khoản",
    "account.changed": "Sửa tài khoản",
    "account.deleted": "Xoá tài khoản",
    "account.password_changed": "Đổi mật khẩu",
    "account.password_reset": "Đặt lại mật khẩu",
    "account.totp_enabled": "Bật xác thực hai lớp",
    "account.totp_replaced": "Thay thiết bị xác thực hai lớp",
    "account.totp_disabled": "Tắt xác thực hai lớp",
    "user.created": "Tạo tài khoản (dữ liệu mẫu)",
    "user.bulk_created": "Tạo nhiều tài khoản (dữ liệu mẫu)",
    "user.changed": "Sửa tài khoản (dữ liệu mẫu)",
    "user.deleted": "Xoá tài khoản (dữ liệu mẫu)",
}
"""Every code a service writes → its name in Vietnamese."""


GROUPS: dict[str, str] = {
    "period": "Kỳ đánh giá",
    "deadline": "Kỳ đánh giá",
    "assignment": "Phân công thẩm định",
    "assessment": "Hồ sơ tự đánh giá",
    "answer": "Nội dung chấm điểm",
    "evidence": "Tài liệu kiểm chứng",
    "trust_anchor": "Tài liệu kiểm chứng",
    "criteria_set": "Bộ tiêu chí",
    "results": "Kết quả",
    "document": "Văn bản",
    "survey": "Khảo sát sự hài lòng",
    "unit": "Đơn vị",
    "unit_group": "Đơn vị",
    "section": "Phân công trong đơn vị",
    "item_assignment": "Phân công trong đơn vị",
    "task": "Khắc phục điểm bị trừ",
    "plan": "Kế hoạch CCHC",
    "notice": "Thông báo, nhắc việc",
    "reminder": "Thông báo, nhắc việc",
    "account": "Tài khoản",
    "user": "Tài khoản",
}
"""The heading of a code's namespace (its part before the dot), for the action picker."""

OTHER_GROUP = "Khác"


def action_label(code: str) -> str:
    """The Vietnamese name of ``code``; an unknown code (written by an older version) is
    shown as is rather than hidden."""
    return ACTIONS.get(code, code)


def action_group(code: str) -> str:
    """The heading ``code`` is listed under."""
    return GROUPS.get(code.partition(".")[0], OTHER_GROUP)


def action_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The action picker's options, grouped by heading in the order of :data:`ACTIONS`."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    for code, label in ACTIONS.items():
        grouped.setdefault(action_group(code), []).append((code, label))
    return list(grouped.items())
