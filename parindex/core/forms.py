"""Django form helpers shared by the apps' views."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's refusal shown on the form: keyed messages on their field when the form
    has it, the others (and unkeyed ones) above the form."""
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            form.add_error(key if key in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def styled(form: forms.Form) -> None:
    """Bootstrap classes on the form's inputs (checkbox lists are drawn by the templates)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs["class"] = css
