"""Sign-in helpers (django-axes is configured to call these) and personal data services."""

from datetime import datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.personal_data import Declarations, Item, Record, SubjectPart, subject_parts

from .models import DeletionRequest, Network, Person, Theme

# --- Programme rounds -------------------------------------------------------------------


def check_theme_in_programme(*, theme: Theme, programme_id: int) -> None:
    """A network's theme is one of its own programme's themes (the database cannot say so
    across two foreign keys): ``ValidationError`` on ``theme`` otherwise."""
    if theme.programme_id != programme_id:
        raise ValidationError(
            {
                "theme": _(
                    "The theme «%(theme)s» belongs to another programme round. Choose one "
                    "of the network's own programme's themes."
                )
                % {"theme": theme.name}
            }
        )


@transaction.atomic
def save_network(*, network: Network) -> Network:
    """Saves a network after checking it, its theme's programme included."""
    network.full_clean()
    network.save()
    return network


# --- Personal data: retention, insight and erasure (see core.personal_data) -------------

#: The retention steps and subject parts declared below, registered by apps.py.
personal_data = Declarations()


def sign_in_log_cutoff(now: datetime) -> datetime:
    return now - timedelta(days=settings.SIGN_IN_LOG_RETENTION_DAYS)


@personal_data.retention_step("sign_in_logs", _("Sign-in log entries deleted"), order=90)
@transaction.atomic
def prune_sign_in_logs(*, now: datetime, dry_run: bool = False) -> int:
    """Deletes django-axes' records (address, browser) older than the retention period."""
    cutoff = sign_in_log_cutoff(now)
    total = 0
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        old = model.objects.filter(attempt_time__lt=cutoff)
        total += old.count() if dry_run else old.delete()[0]
    return total


@personal_data.collects("account", _("Your account"), order=10)
def collect_account(*, user) -> list[Record]:
    items = [
        Item("username", _("Username"), user.username),
        Item("first_name", _("First name"), user.first_name),
        Item("last_name", _("Last name"), user.last_name),
        Item("email", _("E-mail address"), user.email),
        Item("date_joined", _("Account created"), user.date_joined),
        Item("last_login", _("Last signed in"), user.last_login),
    ]
    person = Person.objects.filter(user=user).select_related("organisation").first()
    records = [Record(str(_("Your account")), items)]
    if person is not None:
        records.append(
            Record(
                str(_("Directory entry")),
                [
                    Item("name", _("Name"), person.name),
                    Item("title", _("Title"), person.title),
                    Item("organisation", _("Organisation"), str(person.organisation or "")),
                    Item("email", _("E-mail address"), person.email),
                ],
            )
        )
    return records


@personal_data.erases("account")
def erase_account_traces(*, user) -> int:
    """The directory entry's address and the sign-in logs under the username."""
    count = Person.objects.filter(user=user).exclude(email="").update(email="")
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        count += model.objects.filter(username=user.get_username()).delete()[0]
    return count


@transaction.atomic
def request_deletion(*, user) -> DeletionRequest:
    """Records that the user asks to be deleted; asking again changes nothing."""
    existing = DeletionRequest.objects.pending().filter(user=user).first()
    return existing or DeletionRequest.objects.create(user=user)


@transaction.atomic
def withdraw_deletion_request(*, user) -> None:
    DeletionRequest.objects.pending().filter(user=user).delete()


@transaction.atomic
def confirm_deletion(*, deletion_request: DeletionRequest, confirmed_by) -> dict[str, int]:
    """Erases what every app holds about the person (``subject_parts``), then the account.
    The request keeps its dates and who confirmed it, nothing about the person."""
    user = deletion_request.user
    counts = {}
    for part in subject_parts.all():
        if part.erase is not None:
            counts[part.key] = part.erase(user=user)
    deletion_request.confirmed_at = timezone.now()
    deletion_request.confirmed_by = confirmed_by
    deletion_request.save(update_fields=["confirmed_at", "confirmed_by"])
    user.delete()
    return counts


def personal_data_of(user) -> list[tuple[SubjectPart, list[Record]]]:
    return [
        (part, part.collect(user=user)) for part in subject_parts.all() if part.collect is not None
    ]
