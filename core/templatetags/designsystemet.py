"""The parts of a form field in Designsystemet's markup, written in Python: ``{% load
designsystemet %}``. The template pack (templates/designsystemet/) calls them for every field,
so a form of ten fields costs a tenth of what ten rounds of nested includes did.

- ``{% ds_label field %}`` the <label> with its required marker;
- ``{% ds_required field %}`` the marker alone (for a <legend> or a table heading);
- ``{% ds_help field %}`` the help text, ``{% ds_errors field %}`` the field's errors, with the
  ids Django's ``aria-describedby`` names;
- ``{% ds_input field [attr=value …] %}`` the widget with the classes crispy-forms'
  ``crispy_field`` gives it (the widget's own class name, then "ds-input") and those attributes;
- ``{% ds_field field %}`` all of it for a text-like field, <select> or <textarea>;
- ``{% ds_attrs attrs [skip="class"] %}`` a widget's attributes as Django's own
  ``django/forms/widgets/attrs.html`` writes them (True: the name alone; False: left out),
  which templates/django/forms/widgets/attrs.html replaces for every widget.

They read the crispy-forms context as the templates did: ``label_class``,
``form_show_labels``, ``form_show_errors``, ``wrapper_class`` and ``required_marker``
(helper.required_marker: "required", the default, tags required fields «Required»; "optional"
marks the optional ones instead; "none" marks nothing).
"""

from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()

#: Widgets with a layout of their own in the template pack (field.html chooses it).
_OWN_LAYOUT = (
    forms.RadioSelect,
    forms.CheckboxSelectMultiple,
    forms.CheckboxInput,
    forms.MultiWidget,
    forms.FileInput,
)


def _classes(*parts: str) -> str:
    return " ".join(part for part in parts if part)


@register.simple_tag(takes_context=True)
def ds_required(context, field) -> str:
    marker = context.get("required_marker")
    if field.field.required:
        if marker not in ("optional", "none"):
            return format_html(
                ' <span class="ds-tag np-required" data-color="warning">{}</span>',
                gettext("Required"),
            )
    elif marker == "optional":
        return format_html(' <span class="np-optional">({})</span>', gettext("optional"))
    return ""


@register.simple_tag(takes_context=True)
def ds_label(context, field) -> str:
    if not field.label:
        return ""
    hidden = "np-sr-only" if context.get("form_show_labels") is False else ""
    return format_html(
        '<label class="{}" for="{}">{}{}</label>',
        _classes("ds-label", context.get("label_class"), hidden),
        field.id_for_label,
        field.label,
        ds_required(context, field),
    )


@register.simple_tag
def ds_help(field) -> str:
    if not field.help_text:
        return ""
    return format_html(
        '<div class="np-help" data-field="description"{}>{}</div>',
        format_html(' id="{}_helptext"', field.auto_id) if field.auto_id else "",
        mark_safe(field.help_text),  # as Django's own templates: help texts are markup
    )


@register.simple_tag(takes_context=True)
def ds_errors(context, field) -> str:
    if context.get("form_show_errors") is False or not field.errors:
        return ""
    return format_html(
        '<div class="np-field-errors" data-field="validation"{}>{}</div>',
        format_html(' id="{}_error"', field.auto_id) if field.auto_id else "",
        format_html_join(
            "",
            '<p class="ds-validation-message"><span class="np-sr-only">{} </span>{}</p>',
            ((gettext("Error:"), error) for error in field.errors),
        ),
    )


@register.simple_tag
def ds_attrs(attrs: dict, skip: str = "") -> str:
    return mark_safe(
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
            for name, value in attrs.items()
            if value is not False and value is not None and name != skip
        )
    )


@register.simple_tag
def ds_input(field, **attrs) -> str:
    """The widget (each part of a multi-part one) with its classes and ``attrs``:
    ``{% ds_input field role="switch" %}``."""
    widget = field.field.widget
    for part in getattr(widget, "widgets", [getattr(widget, "widget", widget)]):
        classes = part.attrs.get("class", "").split()
        for name in (type(part).__name__.lower(), "ds-input"):
            if name not in classes:
                classes.append(name)
        part.attrs["class"] = " ".join(classes)
        part.attrs.update(attrs)
    return str(field)


@register.simple_tag(takes_context=True)
def ds_field(context, field) -> str:
    return format_html(
        '<div id="div_{}" class="{}">\n  {}\n  {}\n  {}\n  {}\n</div>',
        field.auto_id,
        _classes("ds-field np-form-item", context.get("wrapper_class"), field.css_classes()),
        ds_label(context, field),
        ds_help(field),
        ds_input(field),
        ds_errors(context, field),
    )


@register.filter
def ds_plain(field) -> bool:
    """A field ``{% ds_field %}`` writes: not hidden, no list of choices, no checkbox, no
    multi-part widget, no file."""
    return not (field.is_hidden or isinstance(field.field.widget, _OWN_LAYOUT))
