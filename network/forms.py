from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm
from django.core.validators import MaxLengthValidator

from .services import client_ip_address
from .throttle import allow

#: At most this many reset e-mails per address, and reset requests per client, an hour.
RESET_MAILS_PER_ADDRESS = 3
RESET_REQUESTS_PER_CLIENT = 20


class ThrottledPasswordResetForm(PasswordResetForm):
    """Password reset that cannot be used to flood an inbox. Over the limit, nothing is sent
    but the answer is the same, so the form reveals nothing about accounts or limits."""

    def save(self, *args, request=None, **kwargs):
        email = self.cleaned_data["email"].strip().lower()
        client = client_ip_address(request) if request is not None else ""
        if not allow(
            f"password-reset:client:{client}", limit=RESET_REQUESTS_PER_CLIENT, window=3600
        ):
            return
        if not allow(f"password-reset:email:{email}", limit=RESET_MAILS_PER_ADDRESS, window=3600):
            return
        super().save(*args, request=request, **kwargs)


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
