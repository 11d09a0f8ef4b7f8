"""The public survey pages (``/phieu/<key>/``, no account): a unit's online form, light
enough for a slow phone and rate-limited per address, and its QR code."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from parindex.core.ratelimit import client_address, over_limit
from parindex.surveys.models import Questionnaire, SamplePlan
from parindex.surveys.online import response_submit_online
from parindex.surveys.selectors import questionnaire_of

PUBLIC_LIMIT = 20
"""Forms one address may send per unit page in ``PUBLIC_WINDOW`` seconds."""
PUBLIC_WINDOW = 600
DEVICE_SALT = "parindex.surveys.device"
DEVICE_MAX_AGE = 400 * 24 * 3600
"""How long a device remembers the form it sent (a period's survey lasts weeks)."""
SENT_MESSAGE = (
    "Thiết bị này đã gửi phiếu khảo sát cho {unit} trong kỳ này. Mỗi thiết bị chỉ gửi một "
    "phiếu; cảm ơn Ông/Bà đã tham gia."
)


def _device_cookie(plan: SamplePlan) -> str:
    return f"khao-sat-{plan.pk}"


def _device_sent(request: HttpRequest, plan: SamplePlan, questionnaire: Questionnaire) -> bool:
    """Whether this device already sent a form for ``plan`` (a signed cookie; a form with a
    citizen's code is guarded by the code itself)."""
    if not questionnaire.one_form_per_device:
        return False
    value = request.get_signed_cookie(
        _device_cookie(plan), default=None, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE
    )
    return value == "1"


def _remember_device(response: HttpResponse, plan: SamplePlan) -> None:
    response.set_signed_cookie(
        _device_cookie(plan),
        "1",
        salt=DEVICE_SALT,
        max_age=DEVICE_MAX_AGE,
        path=reverse("surveys:public_form", args=[plan.public_key]),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _over_limit(request: HttpRequest, plan: SamplePlan) -> bool:
    """At most ``PUBLIC_LIMIT`` forms per address and unit in ``PUBLIC_WINDOW`` seconds
    (the shared cache counts; a desk's tablet shared by many citizens stays well below)."""
    key = f"khao-sat:{plan.pk}:{client_address(request)}"
    return over_limit(key, limit=PUBLIC_LIMIT, window=PUBLIC_WINDOW)


@require_http_methods(["GET", "POST"])
def public_form(request: HttpRequest, key: str) -> HttpResponse:
    plan = SamplePlan.objects.select_related("unit", "period").filter(public_key=key).first()
    if plan is None or not plan.surveyed:
        raise Http404("Không tìm thấy phiếu khảo sát.")
    questionnaire = questionnaire_of(plan.period)
    if questionnaire is None:
        raise Http404("Không tìm thấy phiếu khảo sát.")
    token = (request.POST.get("ma") or request.GET.get("ma") or "").strip()[:32]
    errors: list[str] = []
    posted: dict[str, str] = {}
    status = 200
    sent = not token and _device_sent(request, plan, questionnaire)
    if sent:
        errors.append(SENT_MESSAGE.format(unit=plan.unit.name))
        status = 409 if request.method == "POST" else 200
    elif request.method == "POST":
        posted = {k: request.POST.get(k, "") for k in request.POST if k != "csrfmiddlewaretoken"}
        if _over_limit(request, plan):
            errors.append("Đã gửi quá nhiều phiếu trong thời gian ngắn; xin thử lại sau ít phút.")
            status = 429
        else:
            try:
                response_submit_online(
                    plan=plan,
                    answers=request.POST,
                    respondent=request.POST,
                    comment=request.POST.get("gop_y", ""),
                    token=token,
                )
            except ValidationError as exc:
                errors.extend(exc.messages)
                status = 400
            else:
                thanks = render(request, "surveys/public_thanks.html", {"plan": plan})
                if questionnaire.one_form_per_device and not token:
                    _remember_device(thanks, plan)
                return thanks
    return render(
        request,
        "surveys/public_form.html",
        {
            "plan": plan,
            "questionnaire": questionnaire,
            "factors": list(questionnaire.factors.prefetch_related("questions")),
            "respondent_questions": list(questionnaire.respondent_questions.all()),
            "scale": _scale(questionnaire),
            "errors": errors,
            "posted": posted,
            "token": token,
            "sent": sent,
        },
        status=status,
    )


def _scale(questionnaire: Questionnaire) -> list[tuple[int, str]]:
    """(value, label) of each level of the answer scale (the value itself if unlabelled)."""
    values = range(questionnaire.scale_min, questionnaire.scale_max + 1)
    labels = questionnaire.scale_labels or [str(v) for v in values]
    return list(zip(values, labels, strict=False))


def public_qr(request: HttpRequest, key: str) -> HttpResponse:
    plan = SamplePlan.objects.select_related("unit").filter(public_key=key, surveyed=True).first()
    if plan is None:
        raise Http404("Không tìm thấy phiếu khảo sát.")
    link = request.build_absolute_uri(reverse("surveys:public_form", args=[plan.public_key]))
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="svg", scale=6, title=plan.unit.name)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
