"""``User.has_perm``: the rules decide what they name, for superusers too; Django's model
permissions (the admin site's) stay with superusers and with the staff granted them."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import GatheringFactory, UserFactory


@pytest.fixture
def gathering(omdomme):
    return GatheringFactory(network=omdomme, title="Samling i Omdømme")


def test_the_administrator_gets_only_what_the_rules_grant(admin_user, gathering):
    assert admin_user.has_perm("gatherings.change_gathering", gathering)
    assert admin_user.has_perm("gatherings.view_participant_list", gathering)
    assert not admin_user.has_perm("gatherings.view_dietary_data", gathering)
    assert not admin_user.has_perm("gatherings.change_late_registrations", gathering)


def test_the_facilitator_sees_the_health_data_the_administrator_does_not(facilitator, gathering):
    assert facilitator.has_perm("gatherings.view_dietary_data", gathering)
    assert facilitator.has_perm("gatherings.change_late_registrations", gathering)


def test_the_administrator_keeps_djangos_model_permissions(admin_user):
    assert admin_user.has_perm("network.change_user")
    assert admin_user.has_perm("gatherings.delete_gathering")
    assert admin_user.has_perm("municipalities.view_attachment")
    assert admin_user.has_module_perms("surveys")


def test_an_inactive_superuser_has_no_permission(programme, gathering):
    user = UserFactory(username="tidligere.admin", is_superuser=True, is_staff=True)
    user.is_active = False
    assert not user.has_perm("gatherings.change_gathering", gathering)
    assert not user.has_perm("network.change_user")


def test_staff_keep_a_model_permission_the_admin_grants_them(programme, gathering):
    staff = UserFactory(username="redaktor", is_staff=True)
    staff.user_permissions.add(
        Permission.objects.get(content_type__app_label="gatherings", codename="change_gathering")
    )
    assert staff.has_perm("gatherings.change_gathering")
    assert not staff.has_perm("gatherings.change_gathering", gathering)
    assert not staff.has_perm("network.change_user")


def test_the_administrator_opens_every_list_of_the_admin_site(login, admin_user, omdomme):
    client = login(admin_user)
    assert client.get(reverse("admin:index")).status_code == 200
    registered = [model for model in apps.get_models() if admin.site.is_registered(model)]
    assert registered
    for model in registered:
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert client.get(url).status_code == 200, url

    response = client.get(reverse("admin:network_network_change", args=[omdomme.pk]))
    assert response.status_code == 200
