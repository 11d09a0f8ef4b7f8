"""Việc cần làm (/viec-can-lam/): where everyone lands after signing in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from parindex.season.todo import todo_for


@login_required
@require_GET
def todo(request: HttpRequest) -> HttpResponse:
    """Per context of the user: unit, appraiser, council (:mod:`parindex.season.todo`)."""
    return render(request, "season/todo.html", {"todo": todo_for(request.user)})
