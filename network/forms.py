from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm
from django.core.validators import MaxLengthValidator
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from core import outbox
from core.forms import labelled_choice_fields
from core.http import client_ip_address
from core.throttle import allow

from .models import MailKind, Network, Programme, Theme

# --- Choice lists that name the programme round -------------------------------------------


def programme_label(programme: Programme) -> str:
    """«Saman om ein betre kommune (2013–2014)»: rounds may share a name, never a period."""
    return f"{programme.name} ({programme.period})"


ProgrammeChoiceField, ProgrammeMultipleChoiceField = labelled_choice_fields(programme_label)


def in_round_label(obj: Theme | Network) -> str:
    """«Omdømme – Saman om ein betre kommune (2013–2014)»: a theme, a network or anything else
    with a ``name`` and a ``programme`` (a measurement round), named with its round."""
    return f"{obj.name} – {programme_label(obj.programme)}"


ThemeChoiceField, ThemeMultipleChoiceField = labelled_choice_fields(in_round_label)
NetworkChoiceField, NetworkMultipleChoiceField = labelled_choice_fields(in_round_label)


#: At most this many reset e-mails per address, and reset requests per client, an hour.
RESET_MAILS_PER_ADDRESS = 3
RESET_REQUESTS_PER_CLIENT = 20


class ThrottledPasswordResetForm(PasswordResetForm):
    """Password reset that cannot be used to flood an inbox, and costs the same for a known
    and an unknown address. Over the limit, nothing is sent but the answer is the same, so the
    form reveals nothing about accounts or limits.

    The request only queues a task with the address (``network.tasks.send_password_reset``):
    looking the address up, making the link and recording the e-mail happen in the worker
    (:class:`OutboxPasswordResetForm`), so the answer takes as long for an address that has
    no account as for one that has."""

    def save(self, *, request=None, domain_override=None, use_https=False, **options):
        """Takes ``PasswordResetForm.save``'s keyword arguments (the view passes them all) and
        hands the worker the template names and the extra context; the worker's form makes
        the link and the e-mail with its own token generator and sender."""
        from .tasks import send_password_reset

        email = self.cleaned_data["email"].strip().lower()
        client = client_ip_address(request) if request is not None else ""
        if not allow(
            f"password-reset:client:{client}", limit=RESET_REQUESTS_PER_CLIENT, window=3600
        ):
            return
        if not allow(f"password-reset:email:{email}", limit=RESET_MAILS_PER_ADDRESS, window=3600):
            return
        send_password_reset.enqueue(
            email=self.cleaned_data["email"],
            domain=domain_override or (request.get_host() if request is not None else ""),
            use_https=use_https,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            subject_template_name=options.get(
                "subject_template_name", "registration/password_reset_subject.txt"
            ),
            email_template_name=options.get(
                "email_template_name", "registration/password_reset_email.txt"
            ),
            extra_email_context=options.get("extra_email_context") or {},
        )


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's password reset, run by the worker: each e-mail is recorded in the outbox
    (and sent from there) instead of being sent at once."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = render_to_string(subject_template_name, context)
        body = render_to_string(email_template_name, context)
        outbox.record(
            kind=MailKind.PASSWORD_RESET,
            subject=subject,
            body=gettext("A password reset link."),
            recipients=[outbox.Recipient(email=to_email, body=body)],
            forget_recipients=True,
        )


class ErrorSummaryTakesFocusMixin:
    """A form shown again after a POST has its error summary focused (``autofocus`` there), so
    no field may have ``autofocus`` as well: two in one document is invalid HTML."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            for field in self.fields.values():
                field.widget.attrs.pop("autofocus", None)


class OwnPasswordChangeForm(ErrorSummaryTakesFocusMixin, PasswordChangeForm):
    """Django's password change form; the error summary, not the old password, takes focus
    when it is shown again with errors."""


class SignInForm(ErrorSummaryTakesFocusMixin, AuthenticationForm):
    """Django's sign-in form, which does not check the username's length: a name longer than
    any account's is refused as a field error before it reaches the backends, so django-axes
    never tries to record it (its column is shorter than what a client can send)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))
