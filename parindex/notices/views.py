"""Thông báo (/thong-bao/): a person's notices; opening one marks it read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from parindex.accounts.requests import request_user
from parindex.notices.selectors import get_notice_for_user, notices_of
from parindex.notices.services import notice_mark_read, notices_mark_all_read


@login_required
@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    """The signed-in user's notices, newest first, unread ones highlighted."""
    notices = notices_of(request.user)
    unread = sum(1 for n in notices if n.read_at is None)
    return render(request, "notices/list.html", {"notices": notices, "unread": unread})


@login_required
@require_POST
def notice_open(request: HttpRequest, notice_id: int) -> HttpResponse:
    """Mark one notice read and go where it points (back to the list without a link)."""
    notice = get_notice_for_user(request.user, notice_id)
    notice_mark_read(notice=notice, actor=request_user(request))
    if notice.link and url_has_allowed_host_and_scheme(
        notice.link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notice.link)
    return redirect("notices:list")


@login_required
@require_POST
def notice_read_all(request: HttpRequest) -> HttpResponse:
    count = notices_mark_all_read(actor=request_user(request))
    messages.success(request, f"Đã đánh dấu {count} thông báo là đã đọc.")
    return redirect("notices:list")
