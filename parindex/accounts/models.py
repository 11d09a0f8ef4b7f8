from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    """What a person does in the scoring season. One role per account; the unit says where."""

    UNIT_STAFF = "unit_staff", "Cán bộ đơn vị (nhập điểm, tài liệu)"
    UNIT_LEADER = "unit_leader", "Lãnh đạo đơn vị (gửi, rút hồ sơ)"
    APPRAISER = "appraiser", "Thành viên tổ thư ký / tổ thẩm định"
    CHAIR = "chair", "Chủ tịch hội đồng / quản trị kỳ đánh giá"
    OBSERVER = "observer", "Quan sát (chỉ xem)"


class User(AbstractUser):
    """A person who signs in. Belongs to one unit (đơn vị) and has one role there."""

    role = models.CharField("vai trò", max_length=20, choices=Role.choices, default=Role.UNIT_STAFF)

    full_name = models.CharField("họ và tên", max_length=200, blank=True)
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name="đơn vị",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name()
