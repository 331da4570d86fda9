"""`{% filter_field form.x %}`: a list page's filter control (label, input or select), Bootstrap 5.

List filters render on every list request; Django's widget templates (one template per <option>)
cost several milliseconds a select, so these few plain controls are written out here instead.
Forms and pages with validation messages keep crispy.
"""

from django import forms, template
from django.utils.html import format_html, format_html_join

register = template.Library()


def _selected(value, current) -> bool:
    if isinstance(current, list | tuple):
        return str(value) in {str(c) for c in current}
    return str(value) == ("" if current is None else str(current))


def _choices(field: forms.Field):
    """The field's (value, label) pairs. A model choice field's queryset is read as one list:
    Django's own iterator streams it through a server-side cursor, three round trips for a
    dozen rows."""
    if not isinstance(field, forms.ModelChoiceField):
        return field.choices
    empty = [] if field.empty_label is None else [("", field.empty_label)]
    return [*empty, *((obj.pk, field.label_from_instance(obj)) for obj in field.queryset)]


@register.simple_tag
def filter_field(field: forms.BoundField):
    widget = field.field.widget
    current = field.value()
    invalid = " is-invalid" if field.errors else ""
    described = format_html(' aria-describedby="{}_error"', field.auto_id) if invalid else ""
    label = format_html(
        '<label class="form-label" for="{}">{}</label>', field.id_for_label, field.label
    )
    if isinstance(widget, forms.Select):
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (value, " selected" if _selected(value, current) else "", text)
                for value, text in _choices(field.field)
            ),
        )
        control = format_html(
            '<select name="{}" id="{}" class="form-select{}"{}>{}</select>',
            field.html_name,
            field.id_for_label,
            invalid,
            described,
            options,
        )
    else:
        placeholder = widget.attrs.get("placeholder", "")
        control = format_html(
            '<input type="{}" name="{}" id="{}" value="{}" class="form-control{}"{}{}>',
            widget.attrs.get("type", getattr(widget, "input_type", "text")),
            field.html_name,
            field.id_for_label,
            "" if current is None else current,
            invalid,
            described,
            format_html(' placeholder="{}"', placeholder) if placeholder else "",
        )
    errors = (
        format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            field.auto_id,
            " ".join(field.errors),
        )
        if invalid
        else ""
    )
    return format_html('<div class="mb-3">{}{}{}</div>', label, control, errors)
