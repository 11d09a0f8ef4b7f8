"""Sample criteria sets (dữ liệu mẫu) as parindex-evaluation/1 documents.

* Sở, ban, ngành and UBND cấp huyện: modelled on Hà Nam 2022 (QĐ 1952/QĐ-UBND): fields 14,
  10, 19, 8, 13, 6, 20, survey 10, total 100; units without administrative procedures have
  field 3, criteria 7.3 and 7.5 and the survey not applicable (max 60).
* UBND cấp xã: modelled on the Quảng Trị and Hải Dương commune sets: fields 15, 5, 18,5, 6,
  11, 7, 11,5, 2 and survey 24.

Real criteria names are used where the domain notes give them; the rest of each tree is a
plausible filling, marked as sample data in the set's name and note.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from parindex.engine.evalfile import INPUT_FORMAT

SAMPLE_NOTE = (
    "Dữ liệu mẫu: bộ tiêu chí minh họa cho phần mềm parindex, không phải văn bản ban hành. "
    "Cấu trúc và điểm tối đa của các lĩnh vực theo mẫu bộ tiêu chí của các địa phương."
)

CLASSIFICATION = {
    "bands": [
        {"label": "Xuất sắc", "min": "95"},
        {"label": "Tốt", "min": "85"},
        {"label": "Khá", "min": "75"},
        {"label": "Trung bình", "min": "70"},
    ],
    "otherwise": "Yếu",
}

NO_PROCEDURES_NOT_APPLICABLE = ("3", "7.3", "7.5")
"""Nodes not applicable to a sở without administrative procedures (with the survey)."""

TIER_MEASURES: dict[str, str] = {
    # What a "tiers" leaf measures, for the demo's value generator: a count, a percentage
    # or a ratio {numerator, denominator}.
    "1.1.3": "percent",
    "1.3": "count",
    "1.5.4": "count",
    "1.6": "count",
    "3.1.2": "ratio",
    "3.2.2": "ratio",
    "3.2.3": "count",
    "4.2.2": "ratio",
    "6.1.1": "percent",
    "8.1": "ratio",
}


# --------------------------------------------------------------------------- rule helpers


def manual() -> dict[str, Any] | None:
    """Points entered by the appraisers (no rule)."""
    return None


def boolean() -> dict[str, Any]:
    return {"type": "boolean"}


def ratio(floor: str | None = None, full_at: str | None = None) -> dict[str, Any]:
    rule: dict[str, Any] = {"type": "ratio"}
    if floor is not None:
        rule["floor"] = floor
    if full_at is not None:
        rule["full_at"] = full_at
    return rule


def percent(floor: str | None = None) -> dict[str, Any]:
    rule: dict[str, Any] = {"type": "percent"}
    if floor is not None:
        rule["floor"] = floor
    return rule


def tiers(*levels: tuple[str, str]) -> dict[str, Any]:
    return {"type": "tiers", "tiers": [{"min": m, "points": p} for m, p in levels]}


def deduction(per_item: str) -> dict[str, Any]:
    return {"type": "deduction", "per_item": per_item}


# A node: (code, name, max, rule, guidance, evidence). ``name`` may be a pair
# (sở text, huyện text). Empty guidance/evidence are filled from the rule and the field.
Node = tuple[str, str | tuple[str, str], str, dict[str, Any] | None, str, str]


def N(
    code: str,
    name: str | tuple[str, str],
    max_: str,
    rule: dict[str, Any] | None = None,
    guidance: str = "",
    evidence: str = "",
) -> Node:
    return (code, name, max_, rule, guidance, evidence)


# --------------------------------------------------------------------------- sở and huyện

PROVINCIAL_NODES: list[Node] = [
    N("1", "Chỉ đạo, điều hành cải cách hành chính", "14"),
    N("1.1", "Kế hoạch cải cách hành chính năm", "3"),
    N(
        "1.1.1",
        "Ban hành kế hoạch CCHC năm đúng thời hạn (trước ngày 31/12 năm trước)",
        "1",
        boolean(),
        "Ban hành đúng thời hạn: 1 điểm; ban hành chậm hoặc không ban hành: 0 điểm.",
        "Kế hoạch CCHC năm của đơn vị (số, ngày ban hành).",
    ),
    N(
        "1.1.2",
        "Chất lượng kế hoạch: xác định đầy đủ nhiệm vụ, sản phẩm, thời hạn, kinh phí",
        "1",
        manual(),
        "Đầy đủ các nội dung: 1 điểm; thiếu một trong các nội dung: 0,5 điểm; "
        "không xác định được sản phẩm cụ thể: 0 điểm.",
        "Kế hoạch CCHC năm; phụ lục nhiệm vụ, sản phẩm kèm theo.",
    ),
    N(
        "1.1.3",
        "Mức độ thực hiện kế hoạch CCHC",
        "1",
        tiers(("100", "1"), ("80", "0.5")),
        "Hoàn thành 100% kế hoạch: 1 điểm; từ 80% đến dưới 100%: 0,5 điểm; dưới 80%: 0 điểm.",
        "Báo cáo CCHC năm; bảng tổng hợp kết quả thực hiện các nhiệm vụ trong kế hoạch.",
    ),
    N("1.2", "Báo cáo cải cách hành chính", "1.5"),
    N(
        "1.2.1",
        "Thực hiện đầy đủ số lượng báo cáo CCHC định kỳ (quý, 6 tháng, năm)",
        "0.5",
        boolean(),
        "Đủ số lượng báo cáo theo quy định: 0,5 điểm; thiếu báo cáo: 0 điểm.",
        "Các báo cáo CCHC định kỳ đã gửi Sở Nội vụ.",
    ),
    N(
        "1.2.2",
        "Thời hạn gửi báo cáo CCHC",
        "1",
        deduction("0.25"),
        "Tối đa 1 điểm; mỗi báo cáo gửi chậm so với thời hạn bị trừ 0,25 điểm.",
        "Văn bản gửi báo cáo có ngày gửi; sổ theo dõi văn bản đến của Sở Nội vụ.",
    ),
    N(
        "1.3",
        (
            "Kiểm tra công tác CCHC đối với các phòng, đơn vị trực thuộc",
            "Kiểm tra công tác CCHC đối với các cơ quan chuyên môn và UBND cấp xã",
        ),
        "2",
    ),
    N(
        "1.3.1",
        "Mức độ thực hiện kế hoạch kiểm tra CCHC",
        "1",
        ratio(),
        "Điểm = số đơn vị đã kiểm tra / số đơn vị theo kế hoạch × 1.",
        "Kế hoạch kiểm tra; biên bản, thông báo kết luận kiểm tra.",
    ),
    N(
        "1.3.2",
        "Xử lý các tồn tại, hạn chế phát hiện qua kiểm tra",
        "1",
        ratio(),
        "Điểm = số tồn tại đã được xử lý hoặc có văn bản chỉ đạo xử lý / tổng số tồn tại "
        "phát hiện × 1.",
        "Văn bản chỉ đạo khắc phục; báo cáo kết quả khắc phục của đơn vị được kiểm tra.",
    ),
    N("1.4", "Công tác tuyên truyền cải cách hành chính", "2"),
    N(
        "1.4.1",
        "Mức độ thực hiện kế hoạch tuyên truyền CCHC",
        "1",
        percent(),
        "Điểm = tỷ lệ % nhiệm vụ tuyên truyền hoàn thành × 1.",
        "Kế hoạch tuyên truyền CCHC; báo cáo kết quả thực hiện.",
    ),
    N(
        "1.4.2",
        "Mức độ đa dạng trong tuyên truyền CCHC",
        "1",
        manual(),
        "Có từ 3 hình thức tuyên truyền trở lên (hội nghị, trang thông tin điện tử, "
        "cuộc thi, pa-nô...): 1 điểm; 2 hình thức: 0,5 điểm; 1 hình thức: 0,25 điểm.",
        "Tài liệu, hình ảnh, đường dẫn tin bài tuyên truyền.",
    ),
    N("1.5", "Thực hiện nhiệm vụ được UBND tỉnh, Chủ tịch UBND tỉnh giao", "3"),
    N(
        "1.5.1",
        "Tỷ lệ nhiệm vụ được giao hoàn thành đúng hạn",
        "2",
        ratio(floor="0.5"),
        "Điểm = số nhiệm vụ hoàn thành đúng hạn / tổng số nhiệm vụ được giao × 2; "
        "tỷ lệ dưới 50%: 0 điểm.",
        "Số liệu trên Hệ thống theo dõi nhiệm vụ của UBND tỉnh; báo cáo của đơn vị.",
    ),
    N(
        "1.5.2",
        "Số nhiệm vụ quá hạn chưa hoàn thành",
        "1",
        deduction("0.25"),
        "Tối đa 1 điểm; mỗi nhiệm vụ quá hạn chưa hoàn thành bị trừ 0,25 điểm.",
        "Số liệu trên Hệ thống theo dõi nhiệm vụ của UBND tỉnh.",
    ),
    N(
        "1.6",
        "Sáng kiến, giải pháp mới trong công tác CCHC được cấp có thẩm quyền công nhận",
        "1.5",
        tiers(("2", "1.5"), ("1", "1")),
        "Có từ 2 sáng kiến trở lên: 1,5 điểm; có 1 sáng kiến: 1 điểm; không có: 0 điểm.",
        "Quyết định công nhận sáng kiến; báo cáo kết quả áp dụng.",
    ),
    N(
        "1.7",
        "Thực hiện cam kết cải thiện các chỉ số PAR INDEX, SIPAS, PAPI, PCI của tỉnh",
        "1",
        manual(),
        "Thực hiện đầy đủ các nhiệm vụ được giao trong kế hoạch cải thiện chỉ số: 1 điểm; "
        "thực hiện chưa đầy đủ: 0,5 điểm; không thực hiện: 0 điểm.",
        "Kế hoạch cải thiện các chỉ số; báo cáo kết quả thực hiện.",
    ),
    # ------------------------------------------------------------------------- field 2
    N("2", "Cải cách thể chế", "10"),
    N(
        "2.1",
        (
            "Tham mưu xây dựng, ban hành văn bản quy phạm pháp luật thuộc lĩnh vực quản lý",
            "Ban hành văn bản quy phạm pháp luật theo thẩm quyền",
        ),
        "3",
    ),
    N(
        "2.1.1",
        "Mức độ thực hiện kế hoạch xây dựng văn bản quy phạm pháp luật",
        "1.5",
        ratio(),
        "Điểm = số văn bản đã trình (ban hành) / số văn bản theo kế hoạch × 1,5.",
        "Chương trình xây dựng VBQPPL năm; danh mục văn bản đã trình, đã ban hành.",
    ),
    N(
        "2.1.2",
        "Thực hiện đúng quy trình xây dựng văn bản quy phạm pháp luật",
        "1.5",
        deduction("0.5"),
        "Tối đa 1,5 điểm; mỗi văn bản không thực hiện đúng quy trình (lấy ý kiến, thẩm định, "
        "đánh giá tác động) bị trừ 0,5 điểm.",
        "Hồ sơ xây dựng văn bản; báo cáo thẩm định của Sở Tư pháp.",
    ),
    N("2.2", "Rà soát, hệ thống hóa văn bản quy phạm pháp luật", "2"),
    N(
        "2.2.1",
        "Ban hành kế hoạch rà soát, hệ thống hóa văn bản",
        "0.5",
        boolean(),
        "Có kế hoạch: 0,5 điểm; không có: 0 điểm.",
        "Kế hoạch rà soát, hệ thống hóa văn bản năm.",
    ),
    N(
        "2.2.2",
        "Mức độ hoàn thành kế hoạch rà soát, hệ thống hóa văn bản",
        "1",
        percent(),
        "Điểm = tỷ lệ % hoàn thành kế hoạch × 1.",
        "Báo cáo kết quả rà soát, hệ thống hóa văn bản.",
    ),
    N(
        "2.2.3",
        "Xử lý hoặc kiến nghị xử lý văn bản sau rà soát",
        "0.5",
        ratio(),
        "Điểm = số văn bản đã xử lý hoặc kiến nghị xử lý / số văn bản cần xử lý × 0,5.",
        "Văn bản kiến nghị sửa đổi, bổ sung, thay thế, bãi bỏ.",
    ),
    N("2.3", "Kiểm tra, xử lý văn bản quy phạm pháp luật", "2"),
    N(
        "2.3.1",
        "Ban hành kế hoạch kiểm tra văn bản quy phạm pháp luật",
        "0.5",
        boolean(),
        "Có kế hoạch: 0,5 điểm; không có: 0 điểm.",
        "Kế hoạch kiểm tra văn bản năm.",
    ),
    N(
        "2.3.2",
        "Mức độ hoàn thành kế hoạch kiểm tra văn bản",
        "1",
        percent(),
        "Điểm = tỷ lệ % hoàn thành kế hoạch × 1.",
        "Báo cáo kết quả kiểm tra văn bản.",
    ),
    N(
        "2.3.3",
        "Xử lý văn bản trái pháp luật phát hiện qua kiểm tra",
        "0.5",
        ratio(),
        "Điểm = số văn bản đã xử lý / số văn bản trái pháp luật phát hiện × 0,5.",
        "Văn bản xử lý; báo cáo kết quả xử lý.",
    ),
    N("2.4", "Theo dõi tình hình thi hành pháp luật", "1.5"),
    N(
        "2.4.1",
        "Ban hành kế hoạch theo dõi tình hình thi hành pháp luật",
        "0.5",
        boolean(),
        "Có kế hoạch: 0,5 điểm; không có: 0 điểm.",
        "Kế hoạch theo dõi thi hành pháp luật.",
    ),
    N(
        "2.4.2",
        "Mức độ thực hiện kế hoạch theo dõi tình hình thi hành pháp luật",
        "1",
        percent(),
        "Điểm = tỷ lệ % hoàn thành kế hoạch × 1.",
        "Báo cáo theo dõi tình hình thi hành pháp luật.",
    ),
    N("2.5", "Thực thi pháp luật và xử lý vi phạm", "1.5"),
    N(
        "2.5.1",
        "Tỷ lệ kiến nghị sau thanh tra, kiểm tra được xử lý",
        "1",
        ratio(),
        "Điểm = số kiến nghị đã xử lý / tổng số kiến nghị × 1.",
        "Kết luận thanh tra, kiểm tra; báo cáo kết quả thực hiện kết luận.",
    ),
    N(
        "2.5.2",
        "Tổ chức triển khai văn bản quy phạm pháp luật mới ban hành",
        "0.5",
        manual(),
        "Triển khai kịp thời, đầy đủ: 0,5 điểm; chưa đầy đủ: 0,25 điểm; không triển khai: 0 điểm.",
        "Văn bản triển khai; tài liệu hội nghị quán triệt.",
    ),
    # ------------------------------------------------------------------------- field 3
    N("3", "Cải cách thủ tục hành chính", "19"),
    N("3.1", "Công bố, công khai thủ tục hành chính", "3"),
    N(
        "3.1.1",
        (
            "Tỷ lệ TTHC thuộc lĩnh vực quản lý được tham mưu công bố đúng thời hạn",
            "Tỷ lệ TTHC thuộc thẩm quyền giải quyết được cập nhật, công bố đúng thời hạn",
        ),
        "1",
        ratio(),
        "Điểm = số TTHC công bố đúng thời hạn / tổng số TTHC phải công bố × 1.",
        "Quyết định công bố danh mục TTHC; tờ trình kèm theo.",
    ),
    N(
        "3.1.2",
        "Tỷ lệ TTHC được công khai đầy đủ trên Cổng Dịch vụ công",
        "1",
        ratio(floor="0.9"),
        "Điểm = tỷ lệ × 1; tỷ lệ dưới 90%: 0 điểm.",
        "Kết quả kiểm tra trên Cổng Dịch vụ công quốc gia và Hệ thống thông tin giải quyết "
        "TTHC của tỉnh.",
    ),
    N(
        "3.1.3",
        "Niêm yết công khai TTHC tại nơi tiếp nhận hồ sơ đúng quy định",
        "1",
        boolean(),
        "Niêm yết đầy đủ, đúng quy định: 1 điểm; không đầy đủ: 0 điểm.",
        "Hình ảnh nơi niêm yết; biên bản kiểm tra.",
    ),
    N("3.2", "Rà soát, đơn giản hóa thủ tục hành chính", "2"),
    N(
        "3.2.1",
        "Ban hành kế hoạch rà soát, đánh giá TTHC",
        "0.5",
        boolean(),
        "Có kế hoạch: 0,5 điểm; không có: 0 điểm.",
        "Kế hoạch rà soát, đánh giá TTHC năm.",
    ),
    N(
        "3.2.2",
        "Mức độ hoàn thành kế hoạch rà soát, đánh giá TTHC",
        "1",
        tiers(("1", "1"), ("0.7", "0.5")),
        "Hoàn thành 100% kế hoạch: 1 điểm; từ 70% đến dưới 100%: 0,5 điểm; dưới 70%: 0 điểm.",
        "Báo cáo kết quả rà soát; phương án đơn giản hóa TTHC.",
    ),
    N(
        "3.2.3",
        "Phương án đơn giản hóa TTHC được cấp có thẩm quyền thông qua",
        "0.5",
        tiers(("1", "0.5")),
        "Có ít nhất 1 phương án được thông qua: 0,5 điểm; không có: 0 điểm.",
        "Quyết định phê duyệt phương án đơn giản hóa.",
    ),
    N("3.3", "Thực hiện cơ chế một cửa, một cửa liên thông", "4"),
    N(
        "3.3.1",
        "Tỷ lệ TTHC được tiếp nhận tại Trung tâm Phục vụ hành chính công",
        "1",
        ratio(),
        "Điểm = số TTHC đưa vào tiếp nhận / số TTHC phải đưa vào theo quy định × 1.",
        "Quyết định phê duyệt danh mục TTHC tiếp nhận tại Trung tâm.",
    ),
    N(
        "3.3.2",
        "Số hóa hồ sơ, kết quả giải quyết TTHC",
        "1.5",
        ratio(floor="0.5"),
        "Điểm = số hồ sơ được số hóa / tổng số hồ sơ tiếp nhận × 1,5; dưới 50%: 0 điểm.",
        "Số liệu trên Hệ thống thông tin giải quyết TTHC của tỉnh.",
    ),
    N(
        "3.3.3",
        "Bố trí công chức làm việc tại Bộ phận Một cửa đúng quy định",
        "0.5",
        boolean(),
        "Đúng quy định: 0,5 điểm; không đúng: 0 điểm.",
        "Quyết định cử công chức; danh sách công chức tại Bộ phận Một cửa.",
    ),
    N(
        "3.3.4",
        "Kết quả đánh giá chất lượng phục vụ theo Bộ chỉ số chỉ đạo, điều hành và đánh giá "
        "chất lượng phục vụ người dân, doanh nghiệp",
        "1",
        manual(),
        "Điểm quy đổi từ kết quả trên Cổng Dịch vụ công quốc gia: đạt từ 90 điểm trở lên: "
        "1 điểm; từ 80 đến dưới 90 điểm: 0,75 điểm; từ 70 đến dưới 80 điểm: 0,5 điểm.",
        "Kết quả Bộ chỉ số trên Cổng Dịch vụ công quốc gia.",
    ),
    N("3.4", "Kết quả giải quyết thủ tục hành chính", "6"),
    N(
        "3.4.1",
        "Tỷ lệ hồ sơ TTHC được giải quyết đúng hạn",
        "3",
        ratio(floor="0.9"),
        "Điểm = số hồ sơ giải quyết đúng hạn / tổng số hồ sơ đã giải quyết × 3; "
        "tỷ lệ dưới 90%: 0 điểm.",
        "Số liệu trên Hệ thống thông tin giải quyết TTHC của tỉnh.",
    ),
    N(
        "3.4.2",
        "Tỷ lệ hồ sơ trễ hạn có văn bản xin lỗi người dân, tổ chức",
        "1",
        ratio(),
        "Điểm = số hồ sơ trễ hạn có văn bản xin lỗi / tổng số hồ sơ trễ hạn × 1 "
        "(không có hồ sơ trễ hạn: nhập 1/1).",
        "Văn bản xin lỗi; số liệu trên Hệ thống thông tin giải quyết TTHC.",
    ),
    N(
        "3.4.3",
        "Số hồ sơ bị yêu cầu bổ sung quá một lần",
        "1",
        deduction("0.25"),
        "Tối đa 1 điểm; mỗi hồ sơ bị yêu cầu bổ sung quá một lần bị trừ 0,25 điểm.",
        "Số liệu trên Hệ thống; phản ánh của người dân, tổ chức.",
    ),
    N(
        "3.4.4",
        "Tỷ lệ hồ sơ được cập nhật đầy đủ trạng thái trên Hệ thống thông tin giải quyết TTHC",
        "1",
        ratio(),
        "Điểm = số hồ sơ được cập nhật đầy đủ / tổng số hồ sơ × 1.",
        "Số liệu trên Hệ thống thông tin giải quyết TTHC.",
    ),
    N("3.5", "Tiếp nhận, xử lý phản ánh, kiến nghị về thủ tục hành chính", "2"),
    N(
        "3.5.1",
        "Tỷ lệ phản ánh, kiến nghị được xử lý đúng hạn",
        "1.5",
        ratio(),
        "Điểm = số phản ánh, kiến nghị xử lý đúng hạn / tổng số tiếp nhận × 1,5 "
        "(không có phản ánh, kiến nghị: nhập 1/1).",
        "Sổ theo dõi; số liệu trên Hệ thống tiếp nhận phản ánh, kiến nghị.",
    ),
    N(
        "3.5.2",
        "Công khai kết quả xử lý phản ánh, kiến nghị",
        "0.5",
        boolean(),
        "Công khai đầy đủ: 0,5 điểm; không công khai: 0 điểm.",
        "Đường dẫn công khai kết quả trên Cổng/Trang thông tin điện tử.",
    ),
    N("3.6", "Thanh toán trực tuyến và cấp kết quả điện tử", "2"),
    N(
        "3.6.1",
        "Tỷ lệ hồ sơ TTHC được thanh toán trực tuyến",
        "1",
        ratio(full_at="0.5"),
        "Điểm = tỷ lệ × 1; từ 50% trở lên: 1 điểm.",
        "Số liệu thanh toán trực tuyến trên Cổng Dịch vụ công.",
    ),
    N(
        "3.6.2",
        "Tỷ lệ hồ sơ TTHC có cấp kết quả điện tử",
        "1",
        ratio(),
        "Điểm = số hồ sơ có kết quả điện tử / tổng số hồ sơ đã giải quyết × 1.",
        "Số liệu trên Hệ thống thông tin giải quyết TTHC.",
    ),
    # ------------------------------------------------------------------------- field 4
    N("4", "Cải cách tổ chức bộ máy hành chính nhà nước", "8"),
    N("4.1", "Sắp xếp tổ chức bộ máy", "3"),
    N(
        "4.1.1",
        (
            "Thực hiện quy định về chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của sở",
            "Thực hiện quy định về tổ chức các cơ quan chuyên môn thuộc UBND cấp huyện",
        ),
        "1",
        boolean(),
        "Thực hiện đúng quy định: 1 điểm; không đúng: 0 điểm.",
        "Quyết định quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức.",
    ),
    N(
        "4.1.2",
        "Kết quả sắp xếp, tinh gọn các phòng, đơn vị trực thuộc",
        "2",
        manual(),
        "Hoàn thành sắp xếp theo kế hoạch: 2 điểm; hoàn thành một phần: 1 điểm; "
        "chưa thực hiện: 0 điểm.",
        "Đề án, quyết định sắp xếp tổ chức; báo cáo kết quả.",
    ),
    N("4.2", "Quản lý biên chế", "3"),
    N(
        "4.2.1",
        "Sử dụng biên chế công chức không vượt số được giao",
        "1.5",
        boolean(),
        "Không vượt số được giao: 1,5 điểm; vượt: 0 điểm.",
        "Quyết định giao biên chế; báo cáo số lượng công chức có mặt.",
    ),
    N(
        "4.2.2",
        "Tỷ lệ tinh giản biên chế so với số được giao năm 2015",
        "1.5",
        tiers(("0.1", "1.5"), ("0.05", "0.75")),
        "Tinh giản từ 10% trở lên: 1,5 điểm; từ 5% đến dưới 10%: 0,75 điểm; dưới 5%: 0 điểm.",
        "Báo cáo kết quả tinh giản biên chế.",
    ),
    N(
        "4.3",
        (
            "Thực hiện phân cấp, ủy quyền quản lý nhà nước",
            "Thực hiện phân cấp quản lý đối với UBND cấp xã",
        ),
        "2",
    ),
    N(
        "4.3.1",
        "Thực hiện các nhiệm vụ được phân cấp, ủy quyền",
        "1",
        manual(),
        "Thực hiện đầy đủ, đúng quy định: 1 điểm; có nhiệm vụ chưa thực hiện: 0,5 điểm.",
        "Văn bản phân cấp, ủy quyền; báo cáo kết quả thực hiện.",
    ),
    N(
        "4.3.2",
        "Kiểm tra, đánh giá việc thực hiện nhiệm vụ phân cấp, ủy quyền",
        "1",
        boolean(),
        "Có kiểm tra, đánh giá: 1 điểm; không có: 0 điểm.",
        "Kế hoạch, báo cáo kết quả kiểm tra.",
    ),
    # ------------------------------------------------------------------------- field 5
    N("5", "Cải cách chế độ công vụ", "13"),
    N("5.1", "Vị trí việc làm và cơ cấu ngạch công chức", "2"),
    N(
        "5.1.1",
        "Ban hành bản mô tả công việc và khung năng lực vị trí việc làm",
        "1",
        boolean(),
        "Ban hành đúng quy định: 1 điểm; không ban hành: 0 điểm.",
        "Quyết định phê duyệt bản mô tả công việc và khung năng lực.",
    ),
    N(
        "5.1.2",
        "Tỷ lệ công chức được bố trí đúng vị trí việc làm",
        "1",
        ratio(),
        "Điểm = số công chức bố trí đúng / tổng số công chức × 1.",
        "Danh sách công chức theo vị trí việc làm.",
    ),
    N("5.2", "Tuyển dụng, bổ nhiệm", "2"),
    N(
        "5.2.1",
        "Thực hiện quy định về tuyển dụng công chức, viên chức",
        "1",
        deduction("0.5"),
        "Tối đa 1 điểm; mỗi trường hợp sai phạm bị trừ 0,5 điểm.",
        "Hồ sơ tuyển dụng; kết luận thanh tra, kiểm tra.",
    ),
    N(
        "5.2.2",
        "Thực hiện quy định về bổ nhiệm, bổ nhiệm lại",
        "1",
        deduction("0.5"),
        "Tối đa 1 điểm; mỗi trường hợp sai phạm bị trừ 0,5 điểm.",
        "Hồ sơ bổ nhiệm; kết luận thanh tra, kiểm tra.",
    ),
    N("5.3", "Đào tạo, bồi dưỡng", "2"),
    N(
        "5.3.1",
        "Mức độ hoàn thành kế hoạch đào tạo, bồi dưỡng cán bộ, công chức, viên chức",
        "1.5",
        percent(),
        "Điểm = tỷ lệ % hoàn thành kế hoạch × 1,5.",
        "Kế hoạch đào tạo, bồi dưỡng; báo cáo kết quả.",
    ),
    N(
        "5.3.2",
        "Đánh giá chất lượng sau đào tạo, bồi dưỡng",
        "0.5",
        boolean(),
        "Có đánh giá: 0,5 điểm; không có: 0 điểm.",
        "Báo cáo đánh giá sau đào tạo.",
    ),
    N("5.4", "Đánh giá, xếp loại công chức", "2"),
    N(
        "5.4.1",
        "Thực hiện đánh giá, xếp loại chất lượng công chức đúng quy định",
        "1",
        boolean(),
        "Đúng quy định: 1 điểm; không đúng: 0 điểm.",
        "Quyết định, biên bản đánh giá, xếp loại.",
    ),
    N(
        "5.4.2",
        "Đánh giá theo kết quả thực hiện nhiệm vụ hằng tháng, hằng quý",
        "1",
        manual(),
        "Thực hiện đầy đủ, có phần mềm hỗ trợ: 1 điểm; thực hiện nhưng chưa đầy đủ: 0,5 điểm.",
        "Phiếu đánh giá hằng tháng; dữ liệu trên phần mềm.",
    ),
    N("5.5", "Kỷ luật, kỷ cương hành chính", "4"),
    N(
        "5.5.1",
        "Số cán bộ, công chức, viên chức bị kỷ luật trong năm",
        "2",
        deduction("1"),
        "Tối đa 2 điểm; mỗi người bị kỷ luật từ khiển trách trở lên bị trừ 1 điểm.",
        "Quyết định kỷ luật; báo cáo công tác cán bộ.",
    ),
    N(
        "5.5.2",
        "Thực hiện quy tắc ứng xử, văn hóa công vụ",
        "1",
        manual(),
        "Không có vi phạm, có hình thức quán triệt: 1 điểm; có vi phạm bị phản ánh: 0,5 điểm.",
        "Quy chế văn hóa công sở; biên bản kiểm tra công vụ.",
    ),
    N(
        "5.5.3",
        "Tự kiểm tra công vụ, chấn chỉnh kỷ luật, kỷ cương hành chính",
        "1",
        boolean(),
        "Có kế hoạch và báo cáo kết quả tự kiểm tra: 1 điểm; không có: 0 điểm.",
        "Kế hoạch, báo cáo tự kiểm tra công vụ.",
    ),
    N("5.6", "Chế độ, chính sách", "1"),
    N(
        "5.6.1",
        "Thực hiện chế độ, chính sách đối với cán bộ, công chức đúng quy định",
        "1",
        boolean(),
        "Đúng quy định: 1 điểm; có sai sót: 0 điểm.",
        "Quyết định nâng lương, phụ cấp; báo cáo.",
    ),
    # ------------------------------------------------------------------------- field 6
    N("6", "Cải cách tài chính công", "6"),
    N("6.1", "Quản lý, sử dụng ngân sách nhà nước", "3"),
    N(
        "6.1.1",
        "Tỷ lệ giải ngân vốn đầu tư công được giao",
        "1.5",
        ratio(floor="0.6", full_at="0.95"),
        "Điểm = tỷ lệ × 1,5; từ 95% trở lên: 1,5 điểm; dưới 60%: 0 điểm.",
        "Báo cáo giải ngân của Kho bạc Nhà nước.",
    ),
    N(
        "6.1.2",
        "Thực hiện kiến nghị của cơ quan thanh tra, kiểm toán về tài chính, ngân sách",
        "1",
        ratio(),
        "Điểm = số kiến nghị đã thực hiện / tổng số kiến nghị × 1 (không có kiến nghị: nhập 1/1).",
        "Kết luận thanh tra, kiểm toán; báo cáo thực hiện.",
    ),
    N(
        "6.1.3",
        "Công khai dự toán, quyết toán ngân sách đúng quy định",
        "0.5",
        boolean(),
        "Công khai đầy đủ, đúng hạn: 0,5 điểm; không đúng: 0 điểm.",
        "Quyết định công bố công khai; đường dẫn trên Cổng thông tin điện tử.",
    ),
    N("6.2", "Thực hiện cơ chế tự chủ", "2"),
    N(
        "6.2.1",
        "Thực hiện cơ chế tự chủ về sử dụng biên chế và kinh phí quản lý hành chính",
        "1",
        boolean(),
        "Thực hiện đúng quy định, có quy chế chi tiêu nội bộ: 1 điểm; không: 0 điểm.",
        "Quy chế chi tiêu nội bộ; báo cáo tự chủ.",
    ),
    N(
        "6.2.2",
        "Tỷ lệ đơn vị sự nghiệp công lập trực thuộc tự bảo đảm chi thường xuyên",
        "1",
        ratio(),
        "Điểm = số đơn vị tự bảo đảm / tổng số đơn vị trực thuộc × 1.",
        "Quyết định giao quyền tự chủ cho đơn vị sự nghiệp.",
    ),
    N("6.3", "Quản lý, sử dụng tài sản công", "1"),
    N(
        "6.3.1",
        "Ban hành quy chế quản lý, sử dụng tài sản công",
        "0.5",
        boolean(),
        "Có quy chế: 0,5 điểm; không có: 0 điểm.",
        "Quy chế quản lý, sử dụng tài sản công.",
    ),
    N(
        "6.3.2",
        "Kiểm kê, báo cáo kê khai tài sản công đúng quy định",
        "0.5",
        boolean(),
        "Đúng quy định: 0,5 điểm; không đúng: 0 điểm.",
        "Biên bản kiểm kê; báo cáo kê khai tài sản.",
    ),
    # ------------------------------------------------------------------------- field 7
    N("7", "Xây dựng và phát triển chính quyền điện tử, chính quyền số", "20"),
    N("7.1", "Hạ tầng, nền tảng số và an toàn thông tin", "4"),
    N(
        "7.1.1",
        "Tỷ lệ cán bộ, công chức được trang bị máy tính kết nối mạng",
        "1",
        ratio(),
        "Điểm = số người được trang bị / tổng số cán bộ, công chức × 1.",
        "Báo cáo ứng dụng công nghệ thông tin.",
    ),
    N(
        "7.1.2",
        "Bảo đảm an toàn thông tin theo cấp độ",
        "1.5",
        manual(),
        "Được phê duyệt hồ sơ cấp độ và triển khai đầy đủ phương án: 1,5 điểm; "
        "đã phê duyệt nhưng triển khai chưa đầy đủ: 0,75 điểm.",
        "Quyết định phê duyệt hồ sơ đề xuất cấp độ an toàn hệ thống thông tin.",
    ),
    N(
        "7.1.3",
        "Số sự cố mất an toàn thông tin do lỗi chủ quan",
        "1.5",
        deduction("0.5"),
        "Tối đa 1,5 điểm; mỗi sự cố bị trừ 0,5 điểm.",
        "Báo cáo của Sở Thông tin và Truyền thông.",
    ),
    N("7.2", "Ứng dụng công nghệ thông tin trong hoạt động nội bộ", "3"),
    N(
        "7.2.1",
        "Tỷ lệ văn bản đi được ký số và gửi trên môi trường mạng",
        "1.5",
        ratio(floor="0.8"),
        "Điểm = tỷ lệ × 1,5; dưới 80%: 0 điểm.",
        "Số liệu trên hệ thống quản lý văn bản và điều hành.",
    ),
    N(
        "7.2.2",
        "Tỷ lệ hồ sơ công việc được xử lý trên môi trường mạng",
        "1",
        ratio(),
        "Điểm = số hồ sơ xử lý trên môi trường mạng / tổng số hồ sơ công việc × 1.",
        "Số liệu trên hệ thống quản lý văn bản và điều hành.",
    ),
    N(
        "7.2.3",
        "Sử dụng hệ thống thư điện tử công vụ trong trao đổi công việc",
        "0.5",
        boolean(),
        "Sử dụng thường xuyên: 0,5 điểm; không: 0 điểm.",
        "Thống kê của hệ thống thư điện tử công vụ.",
    ),
    N("7.3", "Cung cấp dịch vụ công trực tuyến, phục vụ người dân, tổ chức", "7"),
    N(
        "7.3.1",
        "Cung cấp đầy đủ dịch vụ công trực tuyến toàn trình, một phần theo danh mục được phê duyệt",
        "1",
        boolean(),
        "Cung cấp đầy đủ: 1 điểm; chưa đầy đủ: 0 điểm.",
        "Danh mục dịch vụ công trực tuyến được phê duyệt; kết quả kiểm tra trên Cổng.",
    ),
    N(
        "7.3.2",
        "Tỷ lệ dịch vụ công trực tuyến toàn trình có phát sinh hồ sơ trực tuyến",
        "2",
        ratio(),
        "Điểm = số dịch vụ có phát sinh hồ sơ trực tuyến / tổng số dịch vụ toàn trình × 2.",
        "Số liệu trên Cổng Dịch vụ công.",
    ),
    N(
        "7.3.3",
        "Tỷ lệ hồ sơ được tiếp nhận trực tuyến",
        "2",
        ratio(full_at="0.8"),
        "Điểm = tỷ lệ × 2; từ 80% trở lên: 2 điểm.",
        "Số liệu trên Hệ thống thông tin giải quyết TTHC.",
    ),
    N(
        "7.3.4",
        "Tỷ lệ TTHC có phát sinh giao dịch thanh toán trực tuyến",
        "1",
        ratio(),
        "Điểm = số TTHC có giao dịch thanh toán trực tuyến / số TTHC có phí, lệ phí × 1.",
        "Số liệu thanh toán trên Cổng Dịch vụ công quốc gia.",
    ),
    N(
        "7.3.5",
        "Kết nối, tích hợp với Cổng Dịch vụ công quốc gia và cơ sở dữ liệu quốc gia",
        "1",
        boolean(),
        "Đã kết nối, tích hợp đầy đủ: 1 điểm; chưa: 0 điểm.",
        "Kết quả kiểm tra kết nối của Sở Thông tin và Truyền thông.",
    ),
    N("7.4", "Cổng/Trang thông tin điện tử", "2"),
    N(
        "7.4.1",
        "Cung cấp thông tin trên Cổng/Trang thông tin điện tử theo Nghị định 42/2022/NĐ-CP",
        "1",
        boolean(),
        "Đầy đủ thông tin theo quy định: 1 điểm; thiếu: 0 điểm.",
        "Đường dẫn Cổng/Trang thông tin điện tử; biên bản kiểm tra.",
    ),
    N(
        "7.4.2",
        "Cập nhật thông tin thường xuyên, kịp thời",
        "1",
        manual(),
        "Cập nhật thường xuyên (ít nhất hằng tuần): 1 điểm; không thường xuyên: 0,5 điểm.",
        "Thống kê tin bài trên Cổng/Trang thông tin điện tử.",
    ),
    N("7.5", "Áp dụng hệ thống quản lý chất lượng theo TCVN ISO 9001:2015", "4"),
    N(
        "7.5.1",
        "Công bố hệ thống quản lý chất lượng phù hợp TCVN ISO 9001:2015",
        "1.5",
        boolean(),
        "Đã công bố: 1,5 điểm; chưa: 0 điểm.",
        "Quyết định công bố hệ thống quản lý chất lượng.",
    ),
    N(
        "7.5.2",
        "Duy trì, cải tiến hệ thống quản lý chất lượng",
        "1.5",
        manual(),
        "Đánh giá nội bộ, xem xét của lãnh đạo đầy đủ: 1,5 điểm; chưa đầy đủ: 0,75 điểm.",
        "Báo cáo đánh giá nội bộ; biên bản họp xem xét của lãnh đạo.",
    ),
    N(
        "7.5.3",
        "Tỷ lệ TTHC được xây dựng quy trình ISO",
        "1",
        ratio(),
        "Điểm = số TTHC có quy trình ISO / tổng số TTHC thuộc thẩm quyền × 1.",
        "Danh mục quy trình nội bộ theo ISO.",
    ),
]


# --------------------------------------------------------------------------- xã

COMMUNE_NODES: list[Node] = [
    N("1", "Công tác chỉ đạo điều hành", "15"),
    N("1.1", "Kế hoạch cải cách hành chính", "3"),
    N(
        "1.1.1",
        "Ban hành kế hoạch CCHC năm đúng thời hạn",
        "0.5",
        boolean(),
        "Ban hành đúng thời hạn: 0,5 điểm; chậm hoặc không ban hành: 0 điểm.",
        "Kế hoạch CCHC năm của UBND xã.",
    ),
    N(
        "1.1.2",
        "Xác định đầy đủ nhiệm vụ, sản phẩm, thời hạn hoàn thành",
        "0.5",
        manual(),
        "Đầy đủ: 0,5 điểm; chưa đầy đủ: 0,25 điểm.",
        "Kế hoạch CCHC năm; phụ lục nhiệm vụ.",
    ),
    N(
        "1.1.3",
        "Mức độ thực hiện kế hoạch CCHC",
        "2",
        percent(),
        "Điểm = tỷ lệ % nhiệm vụ trong kế hoạch hoàn thành × 2.",
        "Báo cáo CCHC năm; bảng tổng hợp kết quả thực hiện kế hoạch.",
    ),
    N(
        "1.2",
        "Thực hiện chế độ báo cáo CCHC định kỳ",
        "0.5",
        deduction("0.25"),
        "Tối đa 0,5 điểm; mỗi báo cáo thiếu hoặc chậm bị trừ 0,25 điểm.",
        "Báo cáo CCHC quý, 6 tháng, năm gửi UBND huyện.",
    ),
    N(
        "1.3",
        "Kiểm tra công tác CCHC tại các bộ phận chuyên môn, thôn, tổ dân phố",
        "0.5",
        tiers(("2", "0.5"), ("1", "0.25")),
        "Kiểm tra từ 2 bộ phận, thôn trở lên: 0,5 điểm; 1 bộ phận, thôn: 0,25 điểm.",
        "Kế hoạch, biên bản kiểm tra.",
    ),
    N("1.4", "Công tác tuyên truyền cải cách hành chính", "3"),
    N(
        "1.4.1",
        "Mức độ thực hiện kế hoạch tuyên truyền CCHC",
        "1",
        percent(),
        "Điểm = tỷ lệ % hoàn thành kế hoạch tuyên truyền × 1.",
        "Kế hoạch và báo cáo kết quả tuyên truyền CCHC.",
    ),
    N(
        "1.4.2",
        "Mức độ đa dạng trong tuyên truyền CCHC",
        "2",
        manual(),
        "Từ 3 hình thức trở lên (loa truyền thanh, hội nghị, mạng xã hội, pa-nô...): 2 điểm; "
        "2 hình thức: 1 điểm; 1 hình thức: 0,5 điểm.",
        "Hình ảnh, tài liệu, đường dẫn tin bài tuyên truyền.",
    ),
    N("1.5", "Thực hiện nhiệm vụ được giao và sáng kiến CCHC", "6"),
    N(
        "1.5.1",
        "Thực hiện các nhiệm vụ được UBND huyện, Chủ tịch UBND huyện giao",
        "2",
        deduction("0.5"),
        "Tối đa 2 điểm; mỗi nhiệm vụ hoàn thành chậm bị trừ 0,5 điểm.",
        "Văn bản giao nhiệm vụ; báo cáo kết quả thực hiện; số liệu theo dõi của Văn phòng "
        "HĐND và UBND huyện.",
    ),
    N(
        "1.5.2",
        "Ban hành văn bản triển khai các nhiệm vụ CCHC trọng tâm của huyện",
        "1",
        boolean(),
        "Ban hành kịp thời: 1 điểm; không ban hành: 0 điểm.",
        "Văn bản triển khai của UBND xã.",
    ),
    N(
        "1.5.3",
        "Tổ chức thực hiện đánh giá chỉ số đã công bố và khắc phục tồn tại",
        "1",
        manual(),
        "Có phân tích kết quả chỉ số năm trước và giải pháp khắc phục cụ thể: 1 điểm; "
        "có nhưng chưa cụ thể: 0,5 điểm.",
        "Kế hoạch, báo cáo khắc phục tồn tại, hạn chế.",
    ),
    N(
        "1.5.4",
        "Sáng kiến trong triển khai công tác CCHC",
        "2",
        tiers(("3", "2"), ("2", "1"), ("1", "0.5")),
        "Từ 3 sáng kiến trở lên: 2 điểm; 2 sáng kiến: 1 điểm; 1 sáng kiến: 0,5 điểm.",
        "Quyết định công nhận sáng kiến, mô hình, giải pháp.",
    ),
    N(
        "1.6",
        "Thực hiện cam kết cải thiện, nâng cao các chỉ số",
        "1",
        ratio(),
        "Điểm = số nhiệm vụ cam kết đã hoàn thành / tổng số nhiệm vụ cam kết × 1.",
        "Kế hoạch cải thiện chỉ số; báo cáo kết quả.",
    ),
    N(
        "1.7",
        "Đối thoại của Lãnh đạo UBND xã với người dân, doanh nghiệp",
        "1",
        boolean(),
        "Tổ chức đối thoại trong năm: 1 điểm; không tổ chức: 0 điểm.",
        "Kế hoạch, biên bản hội nghị đối thoại.",
    ),
    # ------------------------------------------------------------------------- field 2
    N("2", "Cải cách thể chế", "5"),
    N("2.1", "Ban hành văn bản theo thẩm quyền", "1.5"),
    N(
        "2.1.1",
        "Ban hành nghị quyết, quyết định quy phạm pháp luật đúng quy định",
        "1",
        deduction("0.5"),
        "Tối đa 1 điểm; mỗi văn bản sai thẩm quyền, nội dung hoặc trình tự bị trừ 0,5 điểm.",
        "Văn bản đã ban hành; kết quả kiểm tra của Phòng Tư pháp.",
    ),
    N(
        "2.1.2",
        "Tham gia góp ý dự thảo văn bản khi được yêu cầu",
        "0.5",
        ratio(),
        "Điểm = số văn bản góp ý đúng hạn / số văn bản được đề nghị góp ý × 0,5.",
        "Văn bản góp ý gửi cơ quan chủ trì soạn thảo.",
    ),
    N("2.2", "Rà soát văn bản quy phạm pháp luật", "1"),
    N(
        "2.2.1",
        "Ban hành kế hoạch rà soát văn bản",
        "0.5",
        boolean(),
        "Có kế hoạch: 0,5 điểm; không có: 0 điểm.",
        "Kế hoạch rà soát văn bản.",
    ),
    N(
        "2.2.2",
        "Xử lý kết quả rà soát văn bản",
        "0.5",
        ratio(),
        "Điểm = số văn bản đã xử lý / số văn bản cần xử lý sau rà soát × 0,5.",
        "Báo cáo kết quả rà soát; văn bản xử lý.",
    ),
    N("2.3", "Phổ biến, giáo dục pháp luật", "1.5"),
    N(
        "2.3.1",
        "Mức độ thực hiện kế hoạch phổ biến, giáo dục pháp luật",
        "1",
        percent(),
        "Điểm = tỷ lệ % hoàn thành kế hoạch × 1.",
        "Kế hoạch, báo cáo phổ biến, giáo dục pháp luật.",
    ),
    N(
        "2.3.2",
        "Xã đạt chuẩn tiếp cận pháp luật",
        "0.5",
        boolean(),
        "Đạt chuẩn: 0,5 điểm; không đạt: 0 điểm.",
        "Quyết định công nhận xã đạt chuẩn tiếp cận pháp luật.",
    ),
    N(
        "2.4",
        "Tỷ lệ vụ việc hòa giải ở cơ sở hòa giải thành",
        "1",
        ratio(),
        "Điểm = số vụ việc hòa giải thành / tổng số vụ việc tiếp nhận × 1 "
        "(không có vụ việc: nhập 1/1).",
        "Sổ theo dõi hoạt động hòa giải ở cơ sở.",
    ),
    # ------------------------------------------------------------------------- field 3
    N("3", "Cải cách thủ tục hành chính", "18.5"),
    N("3.1", "Rà soát, đánh giá thủ tục hành chính", "1.5"),
    N(
        "3.1.1",
        "Ban hành kế hoạch rà soát, đánh giá TTHC",
        "0.5",
        boolean(),
        "Có kế hoạch: 0,5 điểm; không có: 0 điểm.",
        "Kế hoạch rà soát, đánh giá TTHC.",
    ),
    N(
        "3.1.2",
        "Mức độ hoàn thành kế hoạch rà soát, đánh giá TTHC",
        "1",
        tiers(("1", "1"), ("0.7", "0.5")),
        "Hoàn thành 100% kế hoạch: 1 điểm; từ 70% đến dưới 100%: 0,5 điểm; dưới 70%: 0 điểm.",
        "Báo cáo kết quả rà soát, đánh giá TTHC.",
    ),
    N("3.2", "Công khai thủ tục hành chính", "1"),
    N(
        "3.2.1",
        "Niêm yết công khai TTHC tại Bộ phận Một cửa",
        "0.5",
        boolean(),
        "Niêm yết đầy đủ, đúng quy định: 0,5 điểm; không đầy đủ: 0 điểm.",
        "Hình ảnh nơi niêm yết; biên bản kiểm tra.",
    ),
    N(
        "3.2.2",
        "Tỷ lệ TTHC được công khai trên Trang thông tin điện tử của xã",
        "0.5",
        ratio(),
        "Điểm = số TTHC công khai / tổng số TTHC thuộc thẩm quyền × 0,5.",
        "Đường dẫn Trang thông tin điện tử của xã.",
    ),
    N("3.3", "Bộ phận Một cửa", "1"),
    N(
        "3.3.1",
        "Bố trí cơ sở vật chất, trang thiết bị tại Bộ phận Một cửa",
        "0.5",
        manual(),
        "Đầy đủ theo quy định: 0,5 điểm; chưa đầy đủ: 0,25 điểm.",
        "Biên bản kiểm tra; hình ảnh Bộ phận Một cửa.",
    ),
    N(
        "3.3.2",
        "Bố trí công chức làm việc tại Bộ phận Một cửa đúng quy định",
        "0.5",
        boolean(),
        "Đúng quy định: 0,5 điểm; không đúng: 0 điểm.",
        "Quyết định thành lập, phân công công chức Bộ phận Một cửa.",
    ),
    N("3.4", "Kết quả giải quyết thủ tục hành chính", "2.5"),
    N(
        "3.4.1",
        "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn",
        "1.5",
        ratio(floor="0.9"),
        "Điểm = số hồ sơ đúng hạn / tổng số hồ sơ đã giải quyết × 1,5; dưới 90%: 0 điểm.",
        "Số liệu trên Hệ thống thông tin giải quyết TTHC của tỉnh.",
    ),
    N(
        "3.4.2",
        "Số hồ sơ bị yêu cầu bổ sung quá một lần",
        "1",
        deduction("0.25"),
        "Tối đa 1 điểm; mỗi hồ sơ bị yêu cầu bổ sung quá một lần bị trừ 0,25 điểm.",
        "Số liệu trên Hệ thống; phản ánh của người dân.",
    ),
    N("3.5", "Xin lỗi người dân trong giải quyết thủ tục hành chính", "1.5"),
    N(
        "3.5.1",
        "Thực hiện xin lỗi bằng văn bản đối với hồ sơ trễ hạn",
        "0.5",
        boolean(),
        "Mọi hồ sơ trễ hạn đều có văn bản xin lỗi (hoặc không có hồ sơ trễ hạn): 0,5 điểm.",
        "Văn bản xin lỗi; số liệu hồ sơ trễ hạn.",
    ),
    N(
        "3.5.2",
        "Thực hiện quy định công khai xin lỗi trong giải quyết TTHC",
        "1",
        boolean(),
        "Thực hiện đúng quy định: 1 điểm; không thực hiện: 0 điểm.",
        "Văn bản xin lỗi; kết quả công khai trên Hệ thống.",
    ),
    N("3.6", "Tiếp nhận, xử lý phản ánh, kiến nghị", "1.5"),
    N(
        "3.6.1",
        "Tỷ lệ phản ánh, kiến nghị về TTHC được xử lý đúng hạn",
        "1",
        ratio(),
        "Điểm = số phản ánh, kiến nghị xử lý đúng hạn / tổng số tiếp nhận × 1 "
        "(không có phản ánh: nhập 1/1).",
        "Sổ theo dõi tiếp nhận, xử lý phản ánh, kiến nghị.",
    ),
    N(
        "3.6.2",
        "Công khai kết quả xử lý phản ánh, kiến nghị",
        "0.5",
        boolean(),
        "Có công khai: 0,5 điểm; không: 0 điểm.",
        "Hình ảnh, đường dẫn công khai.",
    ),
    N("3.7", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "1"),
    N(
        "3.7.1",
        "Tỷ lệ hồ sơ được số hóa khi tiếp nhận",
        "0.5",
        ratio(),
        "Điểm = số hồ sơ được số hóa / tổng số hồ sơ tiếp nhận × 0,5.",
        "Số liệu trên Hệ thống thông tin giải quyết TTHC.",
    ),
    N(
        "3.7.2",
        "Tỷ lệ kết quả giải quyết TTHC được số hóa",
        "0.5",
        ratio(),
        "Điểm = số kết quả được số hóa / tổng số kết quả × 0,5.",
        "Số liệu trên Hệ thống thông tin giải quyết TTHC.",
    ),
    N(
        "3.8",
        "Triển khai cấp bản sao điện tử từ sổ gốc, chứng thực bản sao điện tử từ bản chính",
        "0.5",
        boolean(),
        "Đã triển khai: 0,5 điểm; chưa: 0 điểm.",
        "Số liệu chứng thực điện tử trên Hệ thống.",
    ),
    N(
        "3.9",
        "Tỷ lệ hồ sơ được người dân đánh giá hài lòng khi giải quyết TTHC",
        "0.5",
        ratio(),
        "Điểm = số đánh giá hài lòng / tổng số lượt đánh giá × 0,5.",
        "Kết quả đánh giá trên Hệ thống thông tin giải quyết TTHC.",
    ),
    N(
        "3.10",
        "Tỷ lệ hồ sơ được cập nhật trạng thái đầy đủ trên Hệ thống thông tin giải quyết TTHC",
        "0.5",
        ratio(),
        "Điểm = số hồ sơ cập nhật đầy đủ / tổng số hồ sơ × 0,5.",
        "Số liệu trên Hệ thống thông tin giải quyết TTHC.",
    ),
    N("3.11", "Luân chuyển hồ sơ và cấp kết quả điện tử", "2"),
    N(
        "3.11.1",
        "Tỷ lệ hồ sơ TTHC luân chuyển trong nội bộ bằng phương thức điện tử",
        "1",
        ratio(floor="0.70"),
        "Điểm = tỷ lệ × 1; tỷ lệ dưới 70%: 0 điểm.",
        "Số liệu trên Hệ thống thông tin giải quyết TTHC.",
    ),
    N(
        "3.11.2",
        "Tỷ lệ hồ sơ TTHC có cấp kết quả điện tử",
        "1",
        ratio(),
        "Điểm = số hồ sơ có kết quả điện tử / tổng số hồ sơ đã giải quyết × 1.",
        "Số liệu trên Hệ thống thông tin giải quyết TTHC.",
    ),
    N("3.12", "Thanh toán trực tuyến", "2"),
    N(
        "3.12.1",
        "Tỷ lệ TTHC có phát sinh giao dịch thanh toán trực tuyến",
        "1",
        ratio(),
        "Điểm = số TTHC có giao dịch thanh toán trực tuyến / số TTHC có phí, lệ phí × 1.",
        "Số liệu thanh toán trên Cổng Dịch vụ công quốc gia.",
    ),
    N(
        "3.12.2",
        "Tỷ lệ hồ sơ thanh toán trực tuyến",
        "1",
        ratio(),
        "Điểm = số hồ sơ thanh toán trực tuyến / tổng số hồ sơ có phí, lệ phí × 1.",
        "Số liệu thanh toán trên Cổng Dịch vụ công quốc gia.",
    ),
    N("3.13", "Dịch vụ công trực tuyến", "3"),
    N(
        "3.13.1",
        "Cung cấp đầy đủ dịch vụ công trực tuyến",
        "1",
        boolean(),
        "Cung cấp đầy đủ theo danh mục được phê duyệt: 1 điểm; chưa đầy đủ: 0 điểm.",
        "Danh mục dịch vụ công trực tuyến; kết quả kiểm tra trên Cổng.",
    ),
    N(
        "3.13.2",
        "Tỷ lệ dịch vụ công trực tuyến có phát sinh hồ sơ trực tuyến",
        "1",
        ratio(),
        "Điểm = số dịch vụ có hồ sơ trực tuyến / tổng số dịch vụ công trực tuyến × 1.",
        "Số liệu trên Cổng Dịch vụ công.",
    ),
    N(
        "3.13.3",
        "Tỷ lệ hồ sơ dịch vụ công trực tuyến",
        "1",
        ratio(),
        "Điểm = số hồ sơ nộp trực tuyến / tổng số hồ sơ của các dịch vụ công trực tuyến × 1.",
        "Số liệu trên Cổng Dịch vụ công.",
    ),
    # ------------------------------------------------------------------------- field 4
    N("4", "Cải cách tổ chức bộ máy", "6"),
    N("4.1", "Thực hiện quy định về tổ chức bộ máy, số lượng cán bộ, công chức", "2"),
    N(
        "4.1.1",
        "Bố trí số lượng cán bộ, công chức cấp xã không vượt quy định",
        "1",
        boolean(),
        "Không vượt quy định: 1 điểm; vượt: 0 điểm.",
        "Danh sách cán bộ, công chức; quyết định giao số lượng.",
    ),
    N(
        "4.1.2",
        "Bố trí người hoạt động không chuyên trách đúng quy định",
        "1",
        boolean(),
        "Đúng quy định: 1 điểm; không đúng: 0 điểm.",
        "Danh sách người hoạt động không chuyên trách.",
    ),
    N(
        "4.2",
        "Thực hiện sắp xếp thôn, tổ dân phố theo kế hoạch",
        "1.5",
        percent(),
        "Điểm = tỷ lệ % hoàn thành kế hoạch sắp xếp × 1,5.",
        "Nghị quyết, quyết định sắp xếp thôn, tổ dân phố.",
    ),
    N("4.3", "Quy chế làm việc", "1.5"),
    N(
        "4.3.1",
        "Ban hành Quy chế làm việc của UBND xã",
        "0.5",
        boolean(),
        "Có quy chế: 0,5 điểm; không có: 0 điểm.",
        "Quy chế làm việc của UBND xã.",
    ),
    N(
        "4.3.2",
        "Thực hiện quy chế làm việc, phân công nhiệm vụ",
        "1",
        manual(),
        "Thực hiện nghiêm túc: 1 điểm; có vi phạm được nhắc nhở: 0,5 điểm.",
        "Quyết định phân công nhiệm vụ; biên bản kiểm tra.",
    ),
    N(
        "4.4",
        "Thực hiện phân cấp quản lý do UBND cấp huyện ban hành",
        "1",
        boolean(),
        "Thực hiện đầy đủ: 1 điểm; không đầy đủ: 0 điểm.",
        "Văn bản phân cấp của UBND huyện; báo cáo kết quả thực hiện.",
    ),
    # ------------------------------------------------------------------------- field 5
    N("5", "Cải cách chế độ công vụ", "11"),
    N("5.1", "Vị trí việc làm và tiêu chuẩn cán bộ, công chức", "1.5"),
    N(
        "5.1.1",
        "Tỷ lệ cán bộ, công chức được bố trí theo vị trí việc làm",
        "1",
        ratio(),
        "Điểm = số người bố trí đúng / tổng số cán bộ, công chức × 1.",
        "Danh sách cán bộ, công chức theo chức danh.",
    ),
    N(
        "5.1.2",
        "Tỷ lệ cán bộ, công chức đạt chuẩn theo quy định",
        "0.5",
        ratio(),
        "Điểm = số người đạt chuẩn / tổng số × 0,5.",
        "Hồ sơ cán bộ, công chức; văn bằng, chứng chỉ.",
    ),
    N("5.2", "Đào tạo, bồi dưỡng", "2"),
    N(
        "5.2.1",
        "Mức độ hoàn thành kế hoạch đào tạo, bồi dưỡng",
        "1.5",
        percent(),
        "Điểm = tỷ lệ % hoàn thành kế hoạch × 1,5.",
        "Kế hoạch, báo cáo đào tạo, bồi dưỡng.",
    ),
    N(
        "5.2.2",
        "Cử cán bộ, công chức tham gia bồi dưỡng đầy đủ theo triệu tập",
        "0.5",
        boolean(),
        "Đầy đủ: 0,5 điểm; không đầy đủ: 0 điểm.",
        "Giấy triệu tập; danh sách học viên.",
    ),
    N("5.3", "Đánh giá, xếp loại cán bộ, công chức", "2"),
    N(
        "5.3.1",
        "Đánh giá, xếp loại cán bộ, công chức đúng quy định",
        "1",
        boolean(),
        "Đúng quy định: 1 điểm; không đúng: 0 điểm.",
        "Biên bản, quyết định đánh giá, xếp loại.",
    ),
    N(
        "5.3.2",
        "Tỷ lệ cán bộ, công chức hoàn thành tốt nhiệm vụ trở lên",
        "1",
        ratio(floor="0.7"),
        "Điểm = tỷ lệ × 1; dưới 70%: 0 điểm.",
        "Kết quả đánh giá, xếp loại cuối năm.",
    ),
    N("5.4", "Kỷ luật, kỷ cương hành chính", "4"),
    N(
        "5.4.1",
        "Số cán bộ, công chức bị kỷ luật trong năm",
        "2",
        deduction("1"),
        "Tối đa 2 điểm; mỗi người bị kỷ luật bị trừ 1 điểm.",
        "Quyết định kỷ luật.",
    ),
    N(
        "5.4.2",
        "Số lượt vi phạm kỷ cương hành chính phát hiện qua kiểm tra công vụ",
        "1",
        deduction("0.25"),
        "Tối đa 1 điểm; mỗi lượt vi phạm bị trừ 0,25 điểm.",
        "Biên bản kiểm tra công vụ của UBND huyện.",
    ),
    N(
        "5.4.3",
        "Thực hiện quy tắc ứng xử, văn hóa công sở",
        "1",
        manual(),
        "Thực hiện tốt: 1 điểm; có vi phạm bị phản ánh: 0,5 điểm.",
        "Quy chế văn hóa công sở; phản ánh của người dân.",
    ),
    N("5.5", "Chế độ, chính sách", "1.5"),
    N(
        "5.5.1",
        "Chi trả chế độ, chính sách cho cán bộ, công chức đúng quy định",
        "1",
        boolean(),
        "Đúng quy định: 1 điểm; sai sót: 0 điểm.",
        "Bảng lương; quyết định nâng lương.",
    ),
    N(
        "5.5.2",
        "Thực hiện chế độ thông tin, báo cáo về cán bộ, công chức",
        "0.5",
        boolean(),
        "Đầy đủ, đúng hạn: 0,5 điểm; không: 0 điểm.",
        "Báo cáo số lượng, chất lượng cán bộ, công chức.",
    ),
    # ------------------------------------------------------------------------- field 6
    N("6", "Cải cách tài chính công", "7"),
    N("6.1", "Quản lý ngân sách xã", "3"),
    N(
        "6.1.1",
        "Tỷ lệ thu ngân sách so với dự toán được giao",
        "1.5",
        tiers(("100", "1.5"), ("90", "1"), ("80", "0.5")),
        "Thu đạt từ 100% dự toán trở lên: 1,5 điểm; từ 90% đến dưới 100%: 1 điểm; "
        "từ 80% đến dưới 90%: 0,5 điểm.",
        "Báo cáo quyết toán thu ngân sách xã.",
    ),
    N(
        "6.1.2",
        "Công khai ngân sách xã đúng quy định",
        "1",
        boolean(),
        "Công khai đầy đủ, đúng hạn: 1 điểm; không: 0 điểm.",
        "Biên bản niêm yết công khai ngân sách.",
    ),
    N(
        "6.1.3",
        "Quyết toán ngân sách xã đúng thời hạn",
        "0.5",
        boolean(),
        "Đúng thời hạn: 0,5 điểm; chậm: 0 điểm.",
        "Báo cáo quyết toán ngân sách.",
    ),
    N(
        "6.2",
        "Tỷ lệ giải ngân vốn đầu tư công được giao",
        "2",
        ratio(full_at="0.95"),
        "Điểm = tỷ lệ × 2; từ 95% trở lên: 2 điểm.",
        "Báo cáo giải ngân của Kho bạc Nhà nước.",
    ),
    N("6.3", "Quản lý, sử dụng tài sản công", "1"),
    N(
        "6.3.1",
        "Quản lý, sử dụng tài sản công đúng quy định",
        "0.5",
        manual(),
        "Đúng quy định: 0,5 điểm; có sai sót: 0,25 điểm.",
        "Sổ theo dõi tài sản; biên bản kiểm tra.",
    ),
    N(
        "6.3.2",
        "Kiểm kê, báo cáo tài sản công",
        "0.5",
        boolean(),
        "Đúng quy định: 0,5 điểm; không: 0 điểm.",
        "Biên bản kiểm kê; báo cáo tài sản.",
    ),
    N(
        "6.4",
        "Thực hiện kết luận thanh tra, kiểm toán về tài chính, ngân sách",
        "1",
        ratio(),
        "Điểm = số kiến nghị đã thực hiện / tổng số kiến nghị × 1 (không có kiến nghị: nhập 1/1).",
        "Kết luận thanh tra, kiểm toán; báo cáo thực hiện.",
    ),
    # ------------------------------------------------------------------------- field 7
    N("7", "Chính quyền điện tử, chính quyền số", "11.5"),
    N("7.1", "Ứng dụng công nghệ thông tin trong hoạt động nội bộ", "5"),
    N(
        "7.1.1",
        "Tỷ lệ cán bộ, công chức sử dụng hệ thống quản lý văn bản và điều hành",
        "1",
        ratio(),
        "Điểm = số người sử dụng / tổng số cán bộ, công chức × 1.",
        "Thống kê tài khoản trên hệ thống quản lý văn bản và điều hành.",
    ),
    N(
        "7.1.2",
        "Tỷ lệ văn bản đi được gửi trên môi trường mạng",
        "1",
        ratio(floor="0.8"),
        "Điểm = tỷ lệ × 1; dưới 80%: 0 điểm.",
        "Số liệu trên hệ thống quản lý văn bản và điều hành.",
    ),
    N(
        "7.1.3",
        "Sử dụng hộp thư điện tử công vụ trong trao đổi công việc",
        "1",
        boolean(),
        "Sử dụng thường xuyên: 1 điểm; không: 0 điểm.",
        "Thống kê của hệ thống thư điện tử công vụ.",
    ),
    N(
        "7.1.4",
        "Xử lý văn bản, hồ sơ công việc trên môi trường mạng",
        "2",
        manual(),
        "Xử lý hoàn toàn trên môi trường mạng (trừ văn bản mật): 2 điểm; phần lớn: 1 điểm; "
        "một phần: 0,5 điểm.",
        "Số liệu trên hệ thống quản lý văn bản và điều hành; biên bản kiểm tra.",
    ),
    N(
        "7.2",
        "Thông tin trên Cổng/Trang thông tin điện tử theo Nghị định 42/2022/NĐ-CP",
        "1",
        boolean(),
        "Đầy đủ thông tin theo quy định: 1 điểm; thiếu: 0 điểm.",
        "Đường dẫn Trang thông tin điện tử của xã; biên bản kiểm tra.",
    ),
    N("7.3", "Áp dụng chữ ký số", "3"),
    N(
        "7.3.1",
        "UBND cấp xã áp dụng chữ ký số",
        "1",
        ratio(),
        "Điểm = số văn bản đi được ký số của cơ quan / tổng số văn bản đi × 1.",
        "Số liệu trên hệ thống quản lý văn bản và điều hành.",
    ),
    N(
        "7.3.2",
        "Lãnh đạo đơn vị áp dụng chữ ký số",
        "2",
        ratio(),
        "Điểm = số văn bản lãnh đạo ký số / tổng số văn bản lãnh đạo ký × 2.",
        "Số liệu trên hệ thống quản lý văn bản và điều hành.",
    ),
    N("7.4", "Hạ tầng và an toàn thông tin", "1.5"),
    N(
        "7.4.1",
        "Tỷ lệ cán bộ, công chức được trang bị máy tính kết nối mạng",
        "0.5",
        ratio(),
        "Điểm = số người được trang bị / tổng số × 0,5.",
        "Báo cáo trang thiết bị công nghệ thông tin.",
    ),
    N(
        "7.4.2",
        "Số sự cố mất an toàn thông tin",
        "1",
        deduction("0.5"),
        "Tối đa 1 điểm; mỗi sự cố bị trừ 0,5 điểm.",
        "Báo cáo của Phòng Văn hóa và Thông tin.",
    ),
    N("7.5", "Chuyển đổi số cộng đồng", "1"),
    N(
        "7.5.1",
        "Thành lập và duy trì hoạt động Tổ công nghệ số cộng đồng",
        "0.5",
        boolean(),
        "Có tổ và hoạt động thường xuyên: 0,5 điểm; không: 0 điểm.",
        "Quyết định thành lập; báo cáo hoạt động của tổ.",
    ),
    N(
        "7.5.2",
        "Tỷ lệ người dân trưởng thành có tài khoản định danh điện tử mức độ 2",
        "0.5",
        ratio(),
        "Điểm = số người có tài khoản mức độ 2 / dân số trưởng thành × 0,5.",
        "Số liệu của Công an xã.",
    ),
    # ------------------------------------------------------------------------- field 8
    N("8", "Tác động của cải cách hành chính", "2"),
    N(
        "8.1",
        "Mức độ hoàn thành các chỉ tiêu kinh tế - xã hội do HĐND xã giao",
        "2",
        tiers(("1", "2"), ("0.8", "1"), ("0.5", "0.5")),
        "Hoàn thành 100% chỉ tiêu: 2 điểm; từ 80% đến dưới 100%: 1 điểm; "
        "từ 50% đến dưới 80%: 0,5 điểm.",
        "Nghị quyết của HĐND xã; báo cáo kinh tế - xã hội năm.",
    ),
]


# --------------------------------------------------------------------------- documents


def _parent(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def _document(
    name: str,
    nodes: list[Node],
    *,
    variant: int,
    survey_max: str,
    not_applicable: tuple[str, ...] = (),
) -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    for code, node_name, max_, rule, guidance, evidence in nodes:
        text = node_name if isinstance(node_name, str) else node_name[variant]
        item: dict[str, Any] = {"code": code}
        parent = _parent(code)
        if parent is not None:
            item["parent"] = parent
        item["name"] = text
        item["max"] = max_
        if rule is not None:
            item["rule"] = rule
        if guidance:
            item["guidance"] = guidance
        if evidence:
            item["evidence"] = evidence
        if code in not_applicable:
            item["allow_not_applicable"] = True
        items.append(item)
    return {
        "format": INPUT_FORMAT,
        "criteria_set": {
            "name": name,
            "rounding": {"mode": "half_up", "places": 2},
            "nodes": items,
        },
        "survey": {"max": survey_max},
        "adjustments": {"bonus_max": "2", "penalty_max": "3"},
        "classification": CLASSIFICATION,
        "ranking": {"ties": "shared"},
    }


def department_document(year: int) -> dict[str, Any]:
    return _document(
        f"Bộ tiêu chí Chỉ số CCHC năm {year} của các sở, ban, ngành tỉnh Minh Hà (dữ liệu mẫu)",
        PROVINCIAL_NODES,
        variant=0,
        survey_max="10",
        not_applicable=NO_PROCEDURES_NOT_APPLICABLE,
    )


def district_document(year: int) -> dict[str, Any]:
    return _document(
        f"Bộ tiêu chí Chỉ số CCHC năm {year} của UBND cấp huyện tỉnh Minh Hà (dữ liệu mẫu)",
        PROVINCIAL_NODES,
        variant=1,
        survey_max="10",
    )


def commune_document(year: int) -> dict[str, Any]:
    return _document(
        f"Bộ tiêu chí Chỉ số CCHC năm {year} của UBND cấp xã tỉnh Minh Hà (dữ liệu mẫu)",
        COMMUNE_NODES,
        variant=0,
        survey_max="24",
    )


def commune_changes_2024(document: dict[str, Any]) -> dict[str, Any]:
    """The 2024 commune set: the 2023 set with a higher floor for 3.11.1 (70% → 80%)."""
    for node in document["criteria_set"]["nodes"]:
        if node["code"] == "3.11.1":
            node["rule"] = {**node.get("rule", {}), "type": "ratio", "floor": "0.8"}
            node["guidance"] = "Điểm = tỷ lệ × 1; tỷ lệ dưới 80%: 0 điểm (năm 2023: 70%)."
    return document


def leaf_count(nodes: list[Node]) -> int:
    parents = {_parent(code) for code, *_ in nodes}
    return sum(1 for code, *_ in nodes if code not in parents)


def total_max(nodes: list[Node]) -> Decimal:
    return sum((Decimal(max_) for code, _n, max_, *_ in nodes if "." not in code), Decimal(0))
