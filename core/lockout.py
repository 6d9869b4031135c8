"""django-axes with two limits: a username from one address, and an address across usernames.

Axes compares every lockout parameter (``AXES_LOCKOUT_PARAMETERS``) with the one
``AXES_FAILURE_LIMIT``. This handler gives the address alone its own, larger limit,
``AXES_ADDRESS_FAILURE_LIMIT``: people behind one office's network make a few mistakes each
without locking each other out, while one client guessing at many usernames (password
spraying) is stopped. Both end after ``AXES_COOLOFF_TIME``.

Signing in resets the failures of that username from that address only: signing in to one's
own account does not wipe the count of an address that guesses at others.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum

ADDRESS = "ip_address"


def _is_address_only(parameter) -> bool:
    return parameter == ADDRESS or parameter == [ADDRESS]


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The failures that count: the largest of those of each parameter but the address
        alone, or at least the failure limit when the address has reached its own."""
        limit = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        failures = 0
        for parameter, attempts in zip(
            parameters, self.get_user_attempts(request, credentials), strict=True
        ):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if not _is_address_only(parameter):
                failures = max(failures, count)
            elif count >= settings.AXES_ADDRESS_FAILURE_LIMIT:
                request.axes_address_locked_out = True
                failures = max(failures, limit, count)
        return failures

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """After a successful sign-in: the failures of this username from this address."""
        count, _deleted = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        ).delete()
        return count
