"""Database sessions whose idle timeout slides without a write on every request.

With ``SESSION_SAVE_EVERY_REQUEST`` Django writes the session row on every request of a
signed-in user, only to push its expiry forward: a write transaction per page view. This
store writes an unchanged session only when its stored expiry has slid back by more than
:data:`REFRESH_SECONDS`, so the idle timeout ends between ``SESSION_COOKIE_AGE`` minus five
minutes and ``SESSION_COOKIE_AGE`` after the last request. Changed sessions are written as
always; signing out deletes the row as always.
"""

from datetime import timedelta

from django.contrib.sessions.backends import db
from django.utils import timezone

#: How stale the stored expiry may get before an unchanged session is written again.
REFRESH_SECONDS = 5 * 60


class SessionStore(db.SessionStore):
    _stored_expiry = None

    def _get_session_from_db(self):
        stored = super()._get_session_from_db()
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
