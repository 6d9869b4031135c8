"""Database sessions whose idle timeout slides without a write on every request, and their
absolute lifetime.

With ``SESSION_SAVE_EVERY_REQUEST`` Django writes the session row on every request of a
signed-in user, only to push its expiry forward: a write transaction per page view. This
store writes an unchanged session only when its stored expiry has slid back by more than
:data:`REFRESH_SECONDS`, so the idle timeout ends between ``SESSION_COOKIE_AGE`` minus five
minutes and ``SESSION_COOKIE_AGE`` after the last request. Changed sessions are written as
always; signing out deletes the row as always.

However active a session is, it ends ``SESSION_ABSOLUTE_LIFETIME`` seconds after signing in
(:class:`AbsoluteSessionLifetimeMiddleware`): a stolen session cookie is not good for ever.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.dispatch import receiver
from django.utils import timezone

from .prepared_reads import PreparedRead

#: How stale the stored expiry may get before an unchanged session is written again.
REFRESH_SECONDS = 5 * 60


#: The row of a session key: read on every request with a session cookie, so compiled once
#: per process (``core.prepared_reads``).
_read_session = PreparedRead(lambda session_key: Session.objects.filter(session_key=session_key))


class SessionStore(db.SessionStore):
    _stored_expiry = None

    def _get_session_from_db(self):
        """The stored session if it has not expired (as Django's), else None and no key."""
        found = _read_session.instances(session_key=self.session_key) if self.session_key else []
        stored = found[0] if found and found[0].expire_date > timezone.now() else None
        if stored is None:
            self._session_key = None
        self._stored_expiry = stored.expire_date if stored is not None else None
        return stored

    def save(self, must_create=False):
        if not must_create and not self.modified and self._expiry_is_fresh():
            return
        super().save(must_create=must_create)

    def _expiry_is_fresh(self) -> bool:
        self._get_session()  # loads the row (and its expiry) unless already loaded
        if self._stored_expiry is None or self.get_expire_at_browser_close():
            return False
        fresh_until = timezone.now() + timedelta(seconds=self.get_expiry_age() - REFRESH_SECONDS)
        return self._stored_expiry > fresh_until


#: The session key holding when the user signed in (a POSIX timestamp).
SIGNED_IN_AT = "signed_in_at"


@receiver(user_logged_in, dispatch_uid="core.sessions.record_sign_in_time")
def record_sign_in_time(sender, request, user, **kwargs) -> None:
    """Every way of signing in (the form, an accepted invitation, a test's force_login) starts
    a new lifetime."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = timezone.now().timestamp()


class AbsoluteSessionLifetimeMiddleware:
    """Sign out a session ``SESSION_ABSOLUTE_LIFETIME`` seconds after its sign-in, beside the
    idle timeout. A signed-in session without a recorded time (one older than this rule)
    starts its lifetime now. Place it after AuthenticationMiddleware.

    Only requests that carry a session cookie are looked at, so anonymous pages stay as they
    were (no session read, no ``Vary: Cookie``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            session = request.session
            if SESSION_KEY in session:
                now = timezone.now().timestamp()
                signed_in_at = session.get(SIGNED_IN_AT)
                if not isinstance(signed_in_at, int | float):
                    session[SIGNED_IN_AT] = now
                elif now - signed_in_at >= settings.SESSION_ABSOLUTE_LIFETIME:
                    logout(request)
        return self.get_response(request)
