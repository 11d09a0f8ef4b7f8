"""The site's own pages: error pages in Vietnamese, the admin menu item only for those who
can use the admin, and a favicon (issue 11, point 9)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from parindex.accounts.models import User

pytestmark = pytest.mark.django_db

ADMIN_ITEM = "Trang quản trị hệ thống"


# --------------------------------------------------------------------------- error pages


def test_permission_denied_renders_the_vietnamese_403_page(unit_staff_client: Client) -> None:
    response = unit_staff_client.get(reverse("criteria:import"))  # require_manager: 403
    assert response.status_code == 403
    page = response.content.decode()
    assert "Không có quyền truy cập" in page
    assert "Bỏ qua đến nội dung chính" in page  # extends base.html: the site's navigation
    # The reason given by the permission check is shown to the reader.
    assert "Chỉ cán bộ quản trị mới được nhập hoặc sao chép bộ tiêu chí." in page


def test_bad_request_renders_the_vietnamese_400_page() -> None:
    response = Client(HTTP_HOST="khong-hop-le.example").get("/")  # DisallowedHost: 400
    assert response.status_code == 400
    page = response.content.decode()
    assert "Yêu cầu không hợp lệ" in page
    assert "Bad Request" not in page


def test_csrf_failure_renders_a_vietnamese_page(unit_staff: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(unit_staff)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Phiên làm việc đã hết hạn" in page
    assert "CSRF verification failed" not in page


# --------------------------------------------------------------------------- the admin item


def test_admin_item_hidden_from_staff_without_any_admin_permission(
    manager_client: Client, chair: User
) -> None:
    """A staff user with no permission in the admin would land on "no permission"."""
    page = manager_client.get(reverse("criteria:list")).content.decode()
    assert ADMIN_ITEM not in page
    chair.is_staff = True
    chair.save(update_fields=["is_staff"])
    chair_page = Client()
    chair_page.force_login(chair)
    assert ADMIN_ITEM not in chair_page.get(reverse("criteria:list")).content.decode()


def test_admin_item_shown_to_staff_with_an_admin_permission_and_to_the_superuser(
    manager: User, superuser_client: Client
) -> None:
    manager.user_permissions.add(Permission.objects.get(codename="view_criteriaset"))
    client = Client()
    client.force_login(manager)
    page = client.get(reverse("criteria:list")).content.decode()
    assert ADMIN_ITEM in page
    assert client.get("/quan-tri/").status_code == 200
    assert ADMIN_ITEM in superuser_client.get(reverse("criteria:list")).content.decode()


# --------------------------------------------------------------------------- favicon


def test_favicon_ico_is_served(anonymous_client: Client) -> None:
    response = anonymous_client.get("/favicon.ico")
    assert response.status_code in (301, 302)
    assert response["Location"].endswith("favicon.ico")
    assert finders.find("img/favicon.ico")
    assert finders.find("img/favicon.svg")


def test_pages_link_the_icon(anonymous_client: Client) -> None:
    page = anonymous_client.get(reverse("accounts:login")).content.decode()
    assert 'rel="icon"' in page
    assert "img/favicon.svg" in page


# --------------------------------------------------------------------------- admin in Vietnamese

ASCII_OK = {"id", "ID", "URL", "SHA-256", "IP"}
"""Headers that are the same in Vietnamese."""


def _english(text: object) -> bool:
    """Plain ASCII words: an English default ("Attempt Time", "Axes"), not Vietnamese."""
    value = str(text)
    return value.isascii() and value not in ASCII_OK


def test_the_admin_names_every_app_model_and_column_in_vietnamese() -> None:
    from django.apps import apps
    from django.contrib import admin
    from django.contrib.admin.utils import label_for_field
    from django.utils import translation

    problems: list[str] = []
    with translation.override("vi"):
        for model, model_admin in admin.site._registry.items():
            meta = model._meta
            config = apps.get_app_config(meta.app_label)
            if _english(config.verbose_name):
                problems.append(f"app {meta.app_label}: {config.verbose_name}")
            for name in (meta.verbose_name, meta.verbose_name_plural):
                if _english(name):
                    problems.append(f"model {meta.label}: {name}")
            for column in model_admin.list_display:
                if column == "__str__":
                    continue
                header = label_for_field(column, model, model_admin)
                if _english(header):
                    problems.append(f"column {meta.label}.{column}: {header}")
    assert not problems, problems


def test_the_admin_index_shows_vietnamese_app_names(superuser_client: Client) -> None:
    page = superuser_client.get("/quan-tri/").content.decode()
    assert "Chống dò mật khẩu" in page
    assert "Tasks Database Backend" not in page
    assert ">Axes<" not in page
