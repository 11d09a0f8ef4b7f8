"""The people of the app tests, one fixture per role, and the small province they work in.

Loaded for every test by the repository's ``conftest.py`` (``pytest_plugins``). The names
are those of the permission matrix (``tests/permissions/conftest.py``, which builds its own
world with the same roles):

* ``unit_staff`` and ``unit_leader``: the staff and the leader of the assessed unit
  (:func:`assessed_unit`, a commune unless an app says otherwise);
* ``other_staff``: staff of another unit (:func:`other_unit`, another commune);
* ``appraiser`` and ``appraiser_unassigned``: appraisers of the Sở Nội vụ (an app that needs
  the assignment makes it: the fixture can be extended under the same name);
* ``chair`` and ``observer``: the council's chair and observer (Sở Nội vụ);
* ``manager``: staff user (``is_staff``) of the Sở Nội vụ, runs criteria sets and periods;
* ``superuser``: the system administrator.

Each has a signed-in client, ``<persona>_client``; ``anonymous_client`` is a visitor's.
An app whose tests need a different organisation overrides :func:`assessed_unit` or
:func:`other_unit` in its conftest (the evidence tests assess the Sở Nội vụ), never the
personas' names. A test module may still define a persona of its own (a chair with a
password, a chair of the scenario's province) under the same name: the closer fixture wins.
"""

from __future__ import annotations

import pytest
from django.test import Client

from parindex.accounts.models import Role, User
from parindex.organizations.models import Level, Unit, UnitGroup
from parindex.organizations.services import unit_create, unit_group_create

# --------------------------------------------------------------------------- the province


@pytest.fixture
def province(db: None) -> Unit:
    return unit_create(code="T-HNA", name="Tỉnh Hà Nam", level=Level.PROVINCE, actor=None)


@pytest.fixture
def departments_group(db: None) -> UnitGroup:
    return unit_group_create(
        code="so-ban-nganh", name="Sở, ban, ngành", level=Level.DEPARTMENT, position=1, actor=None
    )


@pytest.fixture
def communes_group(db: None) -> UnitGroup:
    return unit_group_create(
        code="ubnd-cap-xa", name="UBND cấp xã", level=Level.COMMUNE, position=3, actor=None
    )


@pytest.fixture
def so_noi_vu(province: Unit, departments_group: UnitGroup) -> Unit:
    return unit_create(
        code="T-SNV",
        name="Sở Nội vụ",
        level=Level.DEPARTMENT,
        parent=province,
        group=departments_group,
        actor=None,
    )


@pytest.fixture
def commune(province: Unit, communes_group: UnitGroup) -> Unit:
    return unit_create(
        code="T-XA-LIEMTUYEN",
        name="UBND xã Liêm Tuyền",
        short_name="Liêm Tuyền",
        level=Level.COMMUNE,
        parent=province,
        group=communes_group,
        actor=None,
    )


@pytest.fixture
def other_commune(province: Unit, communes_group: UnitGroup) -> Unit:
    return unit_create(
        code="T-XA-THANHSON",
        name="UBND xã Thanh Sơn",
        level=Level.COMMUNE,
        parent=province,
        group=communes_group,
        actor=None,
    )


@pytest.fixture
def assessed_unit(commune: Unit) -> Unit:
    """Where ``unit_staff`` and ``unit_leader`` work."""
    return commune


@pytest.fixture
def other_unit(other_commune: Unit) -> Unit:
    """Where ``other_staff`` works."""
    return other_commune


# --------------------------------------------------------------------------- the personas


def _person(
    username: str, full_name: str, role: str, unit: Unit, *, is_staff: bool = False
) -> User:
    return User.objects.create_user(
        username=username, full_name=full_name, role=role, unit=unit, is_staff=is_staff
    )


@pytest.fixture
def unit_staff(assessed_unit: Unit) -> User:
    return _person("nhap.lieu.xa", "Trần Thị Bình", Role.UNIT_STAFF, assessed_unit)


@pytest.fixture
def unit_leader(assessed_unit: Unit) -> User:
    return _person("chu.tich.xa", "Phạm Văn Cường", Role.UNIT_LEADER, assessed_unit)


@pytest.fixture
def other_staff(other_unit: Unit) -> User:
    return _person("can.bo.thanhson", "Đỗ Thị Hoa", Role.UNIT_STAFF, other_unit)


@pytest.fixture
def appraiser(so_noi_vu: Unit) -> User:
    return _person("tham.dinh", "Lê Văn Thẩm", Role.APPRAISER, so_noi_vu)


@pytest.fixture
def appraiser_unassigned(so_noi_vu: Unit) -> User:
    return _person("tham.dinh.khac", "Ngô Thị Định", Role.APPRAISER, so_noi_vu)


@pytest.fixture
def chair(so_noi_vu: Unit) -> User:
    return _person("giam.doc.snv", "Hoàng Văn Dũng", Role.CHAIR, so_noi_vu)


@pytest.fixture
def observer(so_noi_vu: Unit) -> User:
    return _person("quan.sat.snv", "Vũ Thị Lan", Role.OBSERVER, so_noi_vu)


@pytest.fixture
def manager(so_noi_vu: Unit) -> User:
    return _person("can.bo.sonoivu", "Nguyễn Văn An", Role.UNIT_STAFF, so_noi_vu, is_staff=True)


@pytest.fixture
def superuser(so_noi_vu: Unit) -> User:
    return User.objects.create_superuser(
        username="admin",
        password="password",  # noqa: S106 (test persona)
        email="admin@example.org",
        full_name="Lê Quản Trị",
        unit=so_noi_vu,
    )


# --------------------------------------------------------------------------- their clients


def client_for(user: User) -> Client:
    """A client signed in as ``user``."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def anonymous_client() -> Client:
    return Client()


@pytest.fixture
def unit_staff_client(unit_staff: User) -> Client:
    return client_for(unit_staff)


@pytest.fixture
def unit_leader_client(unit_leader: User) -> Client:
    return client_for(unit_leader)


@pytest.fixture
def other_staff_client(other_staff: User) -> Client:
    return client_for(other_staff)


@pytest.fixture
def chair_client(chair: User) -> Client:
    return client_for(chair)


@pytest.fixture
def observer_client(observer: User) -> Client:
    return client_for(observer)


@pytest.fixture
def manager_client(manager: User) -> Client:
    return client_for(manager)


@pytest.fixture
def superuser_client(superuser: User) -> Client:
    return client_for(superuser)
