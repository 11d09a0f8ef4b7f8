"""The fictional province of the demo: Tỉnh Minh Hà (dữ liệu mẫu).

20 sở, ban, ngành (3 without administrative procedures), 8 huyện, thị xã, thành phố with
invented names, and 60 xã, phường, thị trấn under them.
"""

from __future__ import annotations

from parindex.core.text import fold

PROVINCE_CODE = "MINH-HA"
PROVINCE_NAME = "Tỉnh Minh Hà (dữ liệu mẫu)"
PREFIX = "MH"

GROUP_DEPARTMENTS = ("mh-so-ban-nganh", "Sở, ban, ngành")
GROUP_DISTRICTS = ("mh-ubnd-cap-huyen", "UBND cấp huyện")
GROUP_COMMUNES = ("mh-ubnd-cap-xa", "UBND cấp xã")

HOME_AFFAIRS_CODE = "MH-SNV"
"""Sở Nội vụ: the unit of the demo's administrators (it runs the assessment)."""

# (code suffix, name, has administrative procedures)
DEPARTMENTS: list[tuple[str, str, bool]] = [
    ("SNV", "Sở Nội vụ", True),
    ("STP", "Sở Tư pháp", True),
    ("SKHDT", "Sở Kế hoạch và Đầu tư", True),
    ("STC", "Sở Tài chính", True),
    ("SCT", "Sở Công Thương", True),
    ("SNNPTNT", "Sở Nông nghiệp và Phát triển nông thôn", True),
    ("SGTVT", "Sở Giao thông vận tải", True),
    ("SXD", "Sở Xây dựng", True),
    ("STNMT", "Sở Tài nguyên và Môi trường", True),
    ("STTTT", "Sở Thông tin và Truyền thông", True),
    ("SLDTBXH", "Sở Lao động - Thương binh và Xã hội", True),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", True),
    ("SKHCN", "Sở Khoa học và Công nghệ", True),
    ("SGDDT", "Sở Giáo dục và Đào tạo", True),
    ("SYT", "Sở Y tế", True),
    ("SNGV", "Sở Ngoại vụ", True),
    ("BDT", "Ban Dân tộc tỉnh", True),
    ("VPUBND", "Văn phòng UBND tỉnh", False),
    ("TTT", "Thanh tra tỉnh", False),
    ("BQLKCN", "Ban Quản lý các khu công nghiệp tỉnh", False),
]

# (kind, place name, communes as (kind, place name)); kind: "tp", "tx", "h" / "p", "x", "tt"
DISTRICTS: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "tp",
        "Minh Châu",
        [
            ("p", "Quang Trung"),
            ("p", "Lê Lợi"),
            ("p", "Minh Khai"),
            ("p", "Hoàng Diệu"),
            ("p", "Châu Giang"),
            ("p", "Bắc Thành"),
            ("x", "Minh Tân"),
            ("x", "Châu Phong"),
        ],
    ),
    (
        "tx",
        "Hà Xuyên",
        [
            ("p", "Hà Thanh"),
            ("p", "Xuyên Mỹ"),
            ("p", "Đồng Văn"),
            ("p", "Tiên Nội"),
            ("x", "Hà Bình"),
            ("x", "Xuyên Hòa"),
            ("x", "Yên Lạc"),
        ],
    ),
    (
        "h",
        "Vân Khê",
        [
            ("tt", "Vân Khê"),
            ("x", "Vân Sơn"),
            ("x", "Khê Thượng"),
            ("x", "Tân Khê"),
            ("x", "Phúc Lâm"),
            ("x", "An Hòa"),
            ("x", "Lạc Thịnh"),
            ("x", "Vân Trung"),
        ],
    ),
    (
        "h",
        "Đông Lĩnh",
        [
            ("tt", "Đông Lĩnh"),
            ("x", "Đông Hưng"),
            ("x", "Lĩnh Nam"),
            ("x", "Đồng Tâm"),
            ("x", "Hưng Đạo"),
            ("x", "Nam Sơn"),
            ("x", "Thượng Lĩnh"),
        ],
    ),
    (
        "h",
        "Thạch Ngàn",
        [
            ("tt", "Thạch Ngàn"),
            ("x", "Thạch Bàn"),
            ("x", "Ngàn Phố"),
            ("x", "Thạch Xuân"),
            ("x", "Kim Lũ"),
            ("x", "Hòa Bình"),
            ("x", "Thạch Long"),
            ("x", "Phú Lộc"),
        ],
    ),
    (
        "h",
        "Tường Vân",
        [
            ("tt", "Tường Vân"),
            ("x", "Tường Lộc"),
            ("x", "Vân Hà"),
            ("x", "Mỹ Thành"),
            ("x", "Cát Tường"),
            ("x", "Bình An"),
            ("x", "Vĩnh Hưng"),
        ],
    ),
    (
        "h",
        "Bình Nguyên",
        [
            ("tt", "Bình Nguyên"),
            ("x", "Bình Thuận"),
            ("x", "Nguyên Xá"),
            ("x", "Bình Minh"),
            ("x", "Tiến Thắng"),
            ("x", "Trung Hòa"),
            ("x", "Ngọc Sơn"),
            ("x", "Đức Lý"),
        ],
    ),
    (
        "h",
        "Kim Thượng",
        [
            ("tt", "Kim Thượng"),
            ("x", "Kim Bình"),
            ("x", "Thượng Hòa"),
            ("x", "Kim Đức"),
            ("x", "Liên Sơn"),
            ("x", "Tân Phong"),
            ("x", "Nhân Nghĩa"),
        ],
    ),
]

DISTRICT_KIND = {"tp": "thành phố", "tx": "thị xã", "h": "huyện"}
COMMUNE_KIND = {"p": "phường", "x": "xã", "tt": "thị trấn"}


def slug(text: str) -> str:
    """ "Đông Lĩnh" → "DONGLINH" (for unit codes)."""
    return "".join(fold(text).split()).upper()


def district_code(kind: str, name: str) -> str:
    return f"{PREFIX}-{kind.upper()}-{slug(name)}"


def commune_code(district: str, kind: str, name: str) -> str:
    return f"{district}-{kind.upper()}-{slug(name)}"
