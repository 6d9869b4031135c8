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
    Case("network:login", expect(302, anonymous=200)),
    Case(
        "network:login",
        expect(302, anonymous=200),
        method="post",
        data={"username": "nobody", "password": "wrong"},
        label="wrong password",
    ),
    Case("network:logout", expect(200)),
    Case("network:logout", expect(302), method="post"),
    Case("network:my_pages", expect(200, anonymous=LOGIN)),
    Case("network:password_reset", expect(200)),
    Case("network:password_reset", expect(302), method="post", data={"email": "x@example.org"}),
    Case("network:password_reset_done", expect(200)),
    Case(
        "network:password_reset_confirm",
        expect(200),
        kwargs={"uidb64": "MQ", "token": "abc-123"},
        label="invalid link",
    ),
    Case("network:password_reset_complete", expect(200)),
    Case("network:password_change", expect(200, anonymous=LOGIN)),
    Case(
        "network:password_change",
        expect(200, anonymous=LOGIN),
        method="post",
        data={"old_password": "wrong", "new_password1": "x", "new_password2": "y"},
        label="wrong old password",
    ),
]
