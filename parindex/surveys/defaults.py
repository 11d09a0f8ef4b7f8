"""The default questionnaire: the five factors of the Ministry of Home Affairs' method for
measuring satisfaction with public administrative services (QĐ 2640/QĐ-BNV, 2017; the same
five factors are used by provinces such as Hà Nam), on a 1–5 scale. Provinces clone it and
edit the wording; the codes are the column names of the import template."""

from __future__ import annotations

from decimal import Decimal

NAME = "Phiếu khảo sát sự hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính"

INTRODUCTION = (
    "Để nâng cao chất lượng phục vụ, xin Ông/Bà cho biết mức độ hài lòng khi giải quyết thủ "
    "tục hành chính tại cơ quan. Phiếu không ghi tên; thông tin chỉ dùng để tổng hợp."
)

SCALE_LABELS = [
    "Rất không hài lòng",
    "Không hài lòng",
    "Bình thường",
    "Hài lòng",
    "Rất hài lòng",
]

FACTORS: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "TC",
        "Tiếp cận dịch vụ",
        [
            ("TC1", "Nơi ngồi chờ, trang thiết bị phục vụ tại bộ phận một cửa"),
            ("TC2", "Việc tìm hiểu thông tin về thủ tục hành chính (niêm yết, trang điện tử)"),
            ("TC3", "Việc nộp hồ sơ trực tuyến hoặc qua dịch vụ bưu chính công ích"),
        ],
    ),
    (
        "TT",
        "Thủ tục hành chính",
        [
            ("TT1", "Thủ tục được niêm yết công khai, đầy đủ, chính xác"),
            ("TT2", "Thành phần hồ sơ phải nộp là hợp lý"),
            ("TT3", "Phí, lệ phí phải nộp là đúng quy định, hợp lý"),
        ],
    ),
    (
        "CC",
        "Công chức giải quyết công việc",
        [
            ("CC1", "Thái độ lịch sự, tôn trọng của công chức khi tiếp nhận hồ sơ"),
            ("CC2", "Công chức hướng dẫn kê khai hồ sơ tận tình, dễ hiểu"),
            ("CC3", "Công chức tuân thủ đúng quy định, không gây phiền hà, nhũng nhiễu"),
        ],
    ),
    (
        "KQ",
        "Kết quả dịch vụ",
        [
            ("KQ1", "Kết quả được trả đúng hoặc sớm hơn thời hạn hẹn"),
            ("KQ2", "Kết quả giải quyết đầy đủ, chính xác"),
        ],
    ),
    (
        "GY",
        "Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị",
        [
            ("GY1", "Cơ quan bố trí hình thức tiếp nhận góp ý, phản ánh, kiến nghị"),
            ("GY2", "Góp ý, phản ánh, kiến nghị được tiếp nhận, xử lý và phản hồi kịp thời"),
        ],
    ),
]

RESPONDENT_QUESTIONS: list[tuple[str, str, list[str]]] = [
    ("TUOI", "Độ tuổi", ["Dưới 25", "Từ 25 đến 39", "Từ 40 đến 59", "Từ 60 trở lên"]),
    ("GIOI_TINH", "Giới tính", ["Nam", "Nữ", "Khác"]),
    (
        "KENH",
        "Cách nộp hồ sơ",
        ["Trực tiếp tại bộ phận một cửa", "Trực tuyến", "Qua bưu chính công ích"],
    ),
]

SATISFIED_AT = 4
MIN_ANSWERED_SHARE = Decimal("0.5")
MIN_FORMS = 30
