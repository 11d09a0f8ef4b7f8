"""The citizen satisfaction survey (khảo sát sự hài lòng) of a period.

A :class:`Questionnaire` belongs to a period: factors (yếu tố) holding questions answered on
an integer scale, optional respondent questions (age group, gender, channel) and the rules
that turn answers into points (what counts as satisfied, factor weights, the minimum number
of valid forms, the linear conversion to index points). :class:`SamplePlan` says which units
are surveyed and how many forms each should collect. Forms arrive online
(:class:`SurveyToken` for one-submission links) or in bulk (:class:`ImportBatch`) and are
stored as :class:`SurveyResponse`. :class:`SurveyResult` keeps the engine's last computation
per unit; its points become the unit's survey points in the period's results.
:class:`SurveyComputation` is one run of that computation in the background worker (its
progress and outcome), :class:`ResponseExport` one export of the forms to Excel, also
written by the worker.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models


class Channel(models.TextChoices):
    ONLINE = "online", "Trực tuyến"
    PAPER = "paper", "Phiếu giấy"
    INTERVIEW = "interview", "Phỏng vấn trực tiếp"
    PHONE = "phone", "Điện thoại"


class ResponseSource(models.TextChoices):
    ONLINE = "online", "Biểu mẫu trực tuyến"
    IMPORT = "import", "Nhập từ tệp"


class RoundingMode(models.TextChoices):
    HALF_UP = "half_up", "Làm tròn"
    TRUNCATE = "truncate", "Cắt bớt"


class Questionnaire(models.Model):
    """The questionnaire of a period (one per period) and its scoring rules."""

    period = models.OneToOneField(
        "periods.Period",
        verbose_name="kỳ đánh giá",
        on_delete=models.CASCADE,
        related_name="questionnaire",
    )
    name = models.CharField("tên phiếu khảo sát", max_length=300)
    introduction = models.TextField("lời giới thiệu", blank=True)
    scale_min = models.PositiveSmallIntegerField("điểm thấp nhất của thang", default=1)
    scale_max = models.PositiveSmallIntegerField("điểm cao nhất của thang", default=5)
    scale_labels = models.JSONField(
        "nhãn các mức",
        default=list,
        blank=True,
        help_text="Từ mức thấp nhất đến cao nhất, ví dụ: Rất không hài lòng … Rất hài lòng.",
    )
    satisfied_at = models.PositiveSmallIntegerField(
        "mức được tính là hài lòng (từ mức này trở lên)", default=4
    )
    min_answered_share = models.DecimalField(
        "tỷ lệ câu trả lời tối thiểu của phiếu hợp lệ",
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.5"),
    )
    min_forms = models.PositiveIntegerField("số phiếu hợp lệ tối thiểu mỗi đơn vị", default=30)
    points_slope = models.DecimalField(
        "hệ số quy đổi (a)",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text="Điểm = a × chỉ số hài lòng (%) + b; để trống: a = điểm tối đa ÷ 100.",
    )
    points_intercept = models.DecimalField(
        "hằng số quy đổi (b)", max_digits=9, decimal_places=4, default=Decimal(0)
    )
    rounding_mode = models.CharField(
        "cách làm tròn điểm",
        max_length=10,
        choices=RoundingMode.choices,
        default=RoundingMode.HALF_UP,
    )
    rounding_places = models.PositiveSmallIntegerField("số chữ số thập phân", default=2)
    one_form_per_device = models.BooleanField(
        "mỗi thiết bị chỉ gửi một phiếu",
        default=True,
        help_text=(
            "Phiếu trực tuyến: một điện thoại, máy tính chỉ gửi được một phiếu cho mỗi đơn vị "
            "trong kỳ. Tắt khi dùng chung một máy tính bảng tại bộ phận một cửa cho nhiều người."
        ),
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "phiếu khảo sát"
        verbose_name_plural = "phiếu khảo sát"

    def __str__(self) -> str:
        return self.name


class Factor(models.Model):
    """A factor (yếu tố) of the questionnaire, e.g. "Tiếp cận dịch vụ"."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name="phiếu", on_delete=models.CASCADE, related_name="factors"
    )
    code = models.CharField("mã", max_length=20)
    name = models.CharField("tên yếu tố", max_length=300)
    weight = models.DecimalField("trọng số", max_digits=6, decimal_places=3, default=Decimal(1))
    position = models.PositiveIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "yếu tố"
        verbose_name_plural = "yếu tố"
        ordering = ("position", "id")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="factor_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class Question(models.Model):
    """A scale question of a factor."""

    factor = models.ForeignKey(
        Factor, verbose_name="yếu tố", on_delete=models.CASCADE, related_name="questions"
    )
    code = models.CharField(
        "mã câu hỏi", max_length=20, help_text="Duy nhất trong phiếu; là tên cột khi nhập tệp."
    )
    text = models.CharField("nội dung câu hỏi", max_length=500)
    position = models.PositiveIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "câu hỏi"
        verbose_name_plural = "câu hỏi"
        ordering = ("factor__position", "position", "id")

    def __str__(self) -> str:
        return f"{self.code}: {self.text}"


class RespondentQuestion(models.Model):
    """An optional question about the respondent (age group, gender, channel...)."""

    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name="phiếu",
        on_delete=models.CASCADE,
        related_name="respondent_questions",
    )
    code = models.CharField("mã", max_length=20)
    text = models.CharField("câu hỏi", max_length=300)
    choices = models.JSONField("các lựa chọn", default=list)
    position = models.PositiveIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "thông tin người trả lời"
        verbose_name_plural = "thông tin người trả lời"
        ordering = ("position", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "code"], name="respondent_question_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class SamplePlan(models.Model):
    """Whether a unit is surveyed in the period and how many forms it should collect."""

    period = models.ForeignKey(
        "periods.Period", verbose_name="kỳ đánh giá", on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    surveyed = models.BooleanField("được khảo sát", default=True)
    target_forms = models.PositiveIntegerField("số phiếu cần thu", default=0)
    channel = models.CharField(
        "hình thức", max_length=12, choices=Channel.choices, default=Channel.INTERVIEW
    )
    public_key = models.CharField(
        "mã đường dẫn công khai",
        max_length=32,
        unique=True,
        help_text="Dùng trong liên kết, mã QR.",
    )
    tokens_required = models.BooleanField("chỉ nhận phiếu có mã phát cho người dân", default=False)

    class Meta:
        verbose_name = "kế hoạch khảo sát của đơn vị"
        verbose_name_plural = "kế hoạch khảo sát"
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="sample_plan_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} ({self.target_forms} phiếu)"


class ImportBatch(models.Model):
    """One imported file of forms. The same file (SHA-256) is imported once per period."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang nhập"
        DONE = "done", "Đã nhập"
        FAILED = "failed", "Bị từ chối"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    period = models.ForeignKey(
        "periods.Period", verbose_name="kỳ đánh giá", on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField("tên tệp", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    file = models.FileField("tệp", upload_to="survey-imports/%Y/", blank=True)
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField("số dòng", default=0)
    rows_done = models.PositiveIntegerField("đã kiểm tra", default=0)
    stored = models.PositiveIntegerField("phiếu đã lưu", default=0)
    skipped = models.PositiveIntegerField("phiếu đã có (bỏ qua)", default=0)
    errors = models.JSONField("lỗi", default=list, blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name="người nhập",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    finished_at = models.DateTimeField("xong lúc", null=True, blank=True)

    class Meta:
        verbose_name = "đợt nhập phiếu"
        verbose_name_plural = "đợt nhập phiếu"
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(fields=["period", "sha256"], name="import_batch_file_unique"),
        ]

    def __str__(self) -> str:
        return self.file_name


class SurveyToken(models.Model):
    """A one-submission code handed to a citizen at the one-stop desk."""

    plan = models.ForeignKey(
        SamplePlan, verbose_name="đơn vị", on_delete=models.CASCADE, related_name="tokens"
    )
    token = models.CharField("mã phiếu", max_length=32, unique=True)
    used_at = models.DateTimeField("đã dùng lúc", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "mã phiếu trực tuyến"
        verbose_name_plural = "mã phiếu trực tuyến"

    def __str__(self) -> str:
        return self.token


class SurveyResponse(models.Model):
    """One collected form: answers by question code (None for a blank answer).

    Up to a million rows a period, written by bulk COPY, so two savings are deliberate:

    - the period, unit and batch columns have no index of their own (the unique (period, form
      code) and the (period, unit) indexes start with the period; a batch is only ever deleted
      with its period; deleting a unit, rare, may scan);
    - the three foreign keys have no database constraint (``db_constraint=False``). PostgreSQL
      checks a foreign key with one query per row, which made up 11 of the 24 seconds of a
      million-row COPY. Rows are only written by the import and the online form (services that
      resolve the unit through the period's sample plan under a lock of the period), and
      Django still applies ``on_delete``: deleting a period or a batch deletes its forms,
      deleting a unit that has forms is refused (tests in ``tests/test_models.py``)."""

    period = models.ForeignKey(
        "periods.Period",
        verbose_name="kỳ đánh giá",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name="đơn vị",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    source = models.CharField("nguồn", max_length=10, choices=ResponseSource.choices)
    channel = models.CharField("hình thức", max_length=12, choices=Channel.choices)
    form_key = models.CharField(
        "mã phiếu",
        max_length=64,
        help_text="Duy nhất trong kỳ: nhập lại cùng một phiếu không tạo phiếu mới.",
    )
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name="đợt nhập",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="responses",
        db_index=False,
        db_constraint=False,
    )
    answers = models.JSONField("câu trả lời")
    respondent = models.JSONField("thông tin người trả lời", default=dict, blank=True)
    comment = models.TextField("góp ý", blank=True)
    collected_on = models.DateField("ngày thu phiếu", null=True, blank=True)
    created_at = models.DateTimeField("ghi nhận lúc", auto_now_add=True)

    class Meta:
        verbose_name = "phiếu trả lời"
        verbose_name_plural = "phiếu trả lời"
        constraints = [
            models.UniqueConstraint(fields=["period", "form_key"], name="survey_form_key_unique"),
        ]
        indexes = [models.Index(fields=["period", "unit"], name="survey_resp_period_unit")]

    def __str__(self) -> str:
        return self.form_key


class SurveyResult(models.Model):
    """The engine's last computation of one unit's survey (see services.survey_compute)."""

    period = models.ForeignKey(
        "periods.Period", verbose_name="kỳ đánh giá", on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    forms = models.PositiveIntegerField("số phiếu", default=0)
    valid_forms = models.PositiveIntegerField("phiếu hợp lệ", default=0)
    index = models.DecimalField(
        "chỉ số hài lòng (%)", max_digits=9, decimal_places=4, null=True, blank=True
    )
    margin_of_error = models.DecimalField(
        "sai số (điểm %, 95 %)", max_digits=9, decimal_places=4, null=True, blank=True
    )
    points = models.DecimalField("điểm khảo sát", max_digits=9, decimal_places=4, null=True)
    too_few = models.BooleanField("chưa đủ số phiếu", default=False)
    factors = models.JSONField("theo yếu tố", default=list)
    computed_at = models.DateTimeField("tính lúc", auto_now=True)

    class Meta:
        verbose_name = "kết quả khảo sát"
        verbose_name_plural = "kết quả khảo sát"
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="survey_result_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.points}"


class BackgroundJob:
    """What the survey's background jobs (a computation, an export) show alike: their
    period and status, whether they still run, how far they got in %."""

    ACTIVE: tuple[str, ...]
    status: str

    def progress(self) -> tuple[int, int]:
        raise NotImplementedError  # (done, total), per job

    def __str__(self) -> str:
        # get_status_display comes from the model's choices.
        return f"{getattr(self, 'period', '')}: {getattr(self, 'get_status_display')()}"  # noqa: B009

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def percent(self) -> int:
        """Done in % of the total (0 until the total is known)."""
        done, total = self.progress()
        return min(100, round(100 * done / total)) if total else 0


class SurveyComputation(BackgroundJob, models.Model):
    """One computation of a period's survey points, run by the background worker: how far it
    got (forms read of the period's total) and how it ended (the summary, or why it failed).
    At most one is queued or running per period."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang tính"
        DONE = "done", "Đã tính xong"
        FAILED = "failed", "Không tính được"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    period = models.ForeignKey(
        "periods.Period", verbose_name="kỳ đánh giá", on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    forms_total = models.PositiveIntegerField("số phiếu", default=0)
    forms_done = models.PositiveIntegerField("phiếu đã đọc", default=0)
    summary = models.JSONField(
        "kết quả tính",
        default=dict,
        blank=True,
        help_text="units, surveyed, forms, valid_forms; too_few, without_forms, "
        "without_assessment: tên các đơn vị.",
    )
    error = models.TextField("lý do không tính được", blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name="người tính",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("bắt đầu lúc", auto_now_add=True)
    finished_at = models.DateTimeField("xong lúc", null=True, blank=True)

    class Meta:
        verbose_name = "lượt tính điểm khảo sát"
        verbose_name_plural = "lượt tính điểm khảo sát"
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["period"],
                condition=models.Q(status__in=["queued", "running"]),
                name="survey_computation_one_active",
            ),
        ]

    def progress(self) -> tuple[int, int]:
        """Forms read, of the period's forms."""
        return self.forms_done, self.forms_total


class ResponseExport(BackgroundJob, models.Model):
    """One export of a period's forms to an Excel workbook, written by the background worker
    (hundreds of thousands of rows take longer than a request may): how far it got and the
    file, or why it failed. At most one is queued or running per period."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang tạo tệp"
        DONE = "done", "Đã tạo xong"
        FAILED = "failed", "Không tạo được"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    period = models.ForeignKey(
        "periods.Period", verbose_name="kỳ đánh giá", on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField("số phiếu", default=0)
    rows_done = models.PositiveIntegerField("phiếu đã ghi", default=0)
    file = models.FileField("tệp", upload_to="survey-exports/%Y/", blank=True)
    error = models.TextField("lý do không tạo được", blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name="người xuất",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("bắt đầu lúc", auto_now_add=True)
    finished_at = models.DateTimeField("xong lúc", null=True, blank=True)

    class Meta:
        verbose_name = "tệp xuất phiếu khảo sát"
        verbose_name_plural = "tệp xuất phiếu khảo sát"
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["period"],
                condition=models.Q(status__in=["queued", "running"]),
                name="survey_export_one_active",
            ),
        ]

    def progress(self) -> tuple[int, int]:
        """Forms written, of the period's forms."""
        return self.rows_done, self.rows_total
