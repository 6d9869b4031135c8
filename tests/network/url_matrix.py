from network.models import Programme
from tests.matrix import LOGIN, Case, expect

CASES = [
    Case("healthz", expect(200)),
    Case("network:home", expect(200)),
    Case(
        "network:programme",
        expect(200),
        kwargs=lambda: {"slug": Programme.objects.get().slug},
    ),
    Case("network:network_detail", expect(200), kwargs={"slug": "omdomme"}),
    Case("network:accessibility", expect(200)),
    Case("network:login", expect(200)),
    Case("network:logout", expect(302), method="post"),
    Case("network:my_pages", expect(200, anonymous=LOGIN)),
]
