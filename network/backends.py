"""Signing in with a username and password, and finding the signed-in user on each request."""

from django.contrib.auth import backends
from django.core.exceptions import ValidationError

from core.prepared_reads import PreparedRead

from .models import User

#: The signed-in user's row: read on every signed-in request, so compiled once per process.
_read_user = PreparedRead(lambda pk: User.objects.filter(pk=pk))


class ModelBackend(backends.ModelBackend):
    """Django's, but the user of a session is read through a prepared read."""

    def get_user(self, user_id):
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        found = _read_user.instances(pk=pk)
        if not found or not self.user_can_authenticate(found[0]):
            return None
        return found[0]
