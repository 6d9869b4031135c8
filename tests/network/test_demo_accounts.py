import io

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.core.management.base import CommandError

from municipalities.models import Participant
from network.models import Network, User

pytestmark = pytest.mark.django_db

USERNAMES = [
    "admin",
    "krd",
    "veileder.omdomme",
    "veileder.sykefravaer.sor",
    "leder.karmoy",
    "leder.strand",
    "deltaker.karmoy",
]


def test_create_demo_accounts_makes_one_account_per_role(programme, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("create_demo_accounts", "--password", "demo-passord", stdout=out)
    for username in USERNAMES:
        assert username in out.getvalue()
        assert User.objects.get(username=username).check_password("demo-passord")
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="krd").is_programme_staff
    assert Network.objects.get(slug="omdomme").facilitator.user.username == "veileder.omdomme"
    assert (
        Network.objects.get(slug="sykefravaer-sor").facilitator.user.username
        == "veileder.sykefravaer.sor"
    )
    leader = Participant.objects.get(user__username="leder.karmoy")
    assert (leader.local_project.slug, leader.is_project_leader) == ("karmoy-omdomme", True)
    assert Participant.objects.get(user__username="leder.strand").local_project.slug == (
        "strand-omdomme"
    )
    member = Participant.objects.get(user__username="deltaker.karmoy")
    assert (member.local_project.slug, member.is_project_leader) == ("karmoy-omdomme", False)


def test_create_demo_accounts_again_resets_them(programme, settings):
    settings.DEBUG = True
    call_command("create_demo_accounts", "--password", "first-password", stdout=io.StringIO())
    call_command("create_demo_accounts", "--password", "second-password", stdout=io.StringIO())
    assert not User.objects.get(username="krd").check_password("first-password")
    assert User.objects.get(username="krd").check_password("second-password")
    assert User.objects.filter(username__in=USERNAMES).count() == 7
    assert Participant.objects.filter(user__username="leder.karmoy").count() == 1


def test_create_demo_accounts_refuses_when_debug_is_off(programme, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG er slått av"):
        call_command("create_demo_accounts", stdout=io.StringIO())
    assert not User.objects.filter(username="admin").exists()


def test_generated_demo_passwords_pass_the_password_rules(programme, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("create_demo_accounts", stdout=out)
    for username in USERNAMES:
        line = next(line for line in out.getvalue().splitlines() if line.split()[:1] == [username])
        password = line.split()[1]
        user = User.objects.get(username=username)
        assert user.check_password(password)
        validate_password(password, user)


def test_create_demo_accounts_refuses_a_weak_password(programme, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="12"):
        call_command("create_demo_accounts", "--password", "demo-123", stdout=io.StringIO())
    assert not User.objects.filter(username="admin").exists()
