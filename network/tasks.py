"""The accounts' background tasks."""

from django.utils import translation
from django_tasks import task


@task()
def send_password_reset(
    *,
    email: str,
    domain: str,
    use_https: bool,
    language: str,
    subject_template_name: str,
    email_template_name: str,
    extra_email_context: dict,
) -> None:
    """Look the address up and record a reset e-mail for each of its accounts (none for an
    unknown address): the work the password reset page does not do in the request."""
    from .forms import OutboxPasswordResetForm

    form = OutboxPasswordResetForm({"email": email})
    if not form.is_valid():
        return
    with translation.override(language):
        form.save(
            domain_override=domain,
            use_https=use_https,
            subject_template_name=subject_template_name,
            email_template_name=email_template_name,
            extra_email_context=extra_email_context,
        )
