"""An account deleted for good (the admin, the demo's reset) takes with it the items given to
it alone: an assignment names an officer or a section, never neither."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from parindex.accounts.models import User
from parindex.audit.services import record
from parindex.teams.models import ItemAssignment


@receiver(pre_delete, sender=User, dispatch_uid="teams_officer_deleted")
def officer_deleted(sender: type[User], instance: User, **kwargs: Any) -> None:
    alone = ItemAssignment.objects.filter(officer=instance, section__isnull=True)
    for assignment in alone.select_related("unit"):
        record(
            actor=None,
            action="item_assignment.deleted",
            target=assignment,
            summary=(
                f"Bỏ phân công {assignment.node_code} của {assignment.unit.name}: tài khoản "
                f"{instance.get_username()} bị xoá"
            ),
            before={"node_code": assignment.node_code, "officer": instance.get_username()},
        )
    alone.delete()
