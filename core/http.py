"""What the kernel reads from a request."""

from django.conf import settings
from django.http import HttpRequest


def client_ip_address(request: HttpRequest) -> str:
    """The address django-axes counts failed sign-ins for.

    Without proxies it is ``REMOTE_ADDR``. Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, each
    of which appends the address it saw to ``X-Forwarded-For``, the client is the N-th entry
    from the right: everything further left was sent by the client and may be forged.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [
            address.strip()
            for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if address.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")
