from __future__ import annotations

from django.db import models

from parindex.core.text import fold


class Level(models.TextChoices):
    """Administrative level of a unit or of the criteria set that scores it."""

    PROVINCE = "province", "Tỉnh, thành phố"
    DEPARTMENT = "department", "Sở, ban, ngành"
    DISTRICT = "district", "Huyện, thị xã, thành phố thuộc tỉnh"
    COMMUNE = "commune", "Xã, phường, thị trấn, đặc khu"
    OTHER = "other", "Khác"


class UnitGroup(models.Model):
    """A ranking group (nhóm xếp hạng): units ranked together and scored by one set."""

    code = models.SlugField("mã nhóm", max_length=50, unique=True)
    name = models.CharField("tên nhóm", max_length=200)
    level = models.CharField("cấp", max_length=20, choices=Level.choices)
    position = models.PositiveIntegerField("thứ tự", default=0)
    search_name = models.CharField(max_length=200, editable=False, db_index=True)

    class Meta:
        verbose_name = "nhóm đơn vị"
        verbose_name_plural = "nhóm đơn vị"
        ordering = ("position", "name")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class UnitQuerySet(models.QuerySet["Unit"]):
    def active(self) -> UnitQuerySet:
        return self.filter(is_active=True)

    def in_group(self, group: UnitGroup) -> UnitQuerySet:
        return self.filter(group=group)

    def search(self, query: str) -> UnitQuerySet:
        """Diacritic-insensitive search by name words or code: "cai cach" finds "Cải cách"."""
        qs = self
        for word in fold(query).split():
            qs = qs.filter(models.Q(search_name__contains=word) | models.Q(code__icontains=word))
        return qs


class Unit(models.Model):
    """An organisation in the tree: province → sở / huyện → xã.

    The tree is a parent link, so three levels (before 2025) and two levels (sở + xã from
    2025) are both just data. ``search_name`` is the diacritic-folded name for search.
    """

    code = models.CharField("mã đơn vị", max_length=50, unique=True)
    name = models.CharField("tên đơn vị", max_length=255)
    short_name = models.CharField("tên ngắn", max_length=100, blank=True)
    level = models.CharField("cấp", max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="đơn vị cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    group = models.ForeignKey(
        UnitGroup,
        verbose_name="nhóm xếp hạng",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    has_procedures = models.BooleanField(
        "có thủ tục hành chính",
        default=True,
        help_text="Đơn vị không có TTHC không được khảo sát và không chấm lĩnh vực TTHC.",
    )
    is_active = models.BooleanField("đang hoạt động", default=True)
    position = models.PositiveIntegerField("thứ tự", default=0)
    search_name = models.CharField(max_length=255, editable=False, db_index=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ("position", "name")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_name = fold(f"{self.name} {self.short_name}")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def ancestors(self) -> list[Unit]:
        """From the parent up to the root (one query per level; trees are 2-3 deep)."""
        chain: list[Unit] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain
