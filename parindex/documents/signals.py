"""A published correction makes the period's documents again (the results app knows nothing
of the documents: this app listens to its versions being saved)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from parindex.documents.services import documents_regenerate_for_correction
from parindex.results.models import ResultVersion, VersionStatus


@receiver(post_save, sender=ResultVersion, dispatch_uid="documents-regenerate-on-correction")
def regenerate_on_correction(sender: Any, instance: ResultVersion, **kwargs: Any) -> None:
    if instance.status != VersionStatus.PUBLISHED or instance.supersedes_id is None:
        return
    version_id = instance.pk

    def regenerate() -> None:
        version = ResultVersion.objects.select_related("period", "published_by").get(pk=version_id)
        if not version.documents.exists():
            documents_regenerate_for_correction(version=version)

    transaction.on_commit(regenerate)
