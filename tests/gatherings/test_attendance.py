"""The attendance matrix of a network: politician, administration, union representative."""

import pytest
from django.urls import reverse
from django.utils import timezone

from gatherings.models import Registration
from municipalities.models import ParticipantRole
from tests.gatherings.conftest import add_participant, en_url
from tests.gatherings.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def test_matrix_shows_who_came_from_each_municipality(
    login, facilitator, karmoy, strand, first_gathering
):
    for name, role in [
        ("Ola Ordfører", ParticipantRole.POLITICIAN),
        ("Hanne HR", ParticipantRole.HR),
        ("Tina Tillitsvalgt", ParticipantRole.UNION_REPRESENTATIVE),
    ]:
        RegistrationFactory(
            gathering=first_gathering, participant=add_participant(karmoy, name, role)
        )
    cancelled = RegistrationFactory(
        gathering=first_gathering,
        participant=add_participant(strand, "Per Politiker", ParticipantRole.POLITICIAN),
    )
    Registration.objects.filter(pk=cancelled.pk).update(cancelled_at=timezone.now())
    RegistrationFactory(
        gathering=first_gathering,
        participant=add_participant(strand, "Lise Leder", ParticipantRole.LEADER),
    )

    response = login(facilitator).get(en_url("gatherings:attendance", "omdomme"))
    assert response.status_code == 200
    matrix = response.context["matrix"]
    rows = {municipality.name: cells for municipality, cells in matrix.rows}
    assert sorted(rows) == ["Gamvik", "Karmøy", "Meland", "Strand", "Ørland"]
    column = matrix.gatherings.index(first_gathering)
    karmoy_cell, strand_cell = rows["Karmøy"][column], rows["Strand"][column]
    assert karmoy_cell.all_three
    assert (strand_cell.politician, strand_cell.administration) == (False, True)
    assert matrix.all_three[column] == 1
    content = response.content.decode()
    assert 'Politician<span class="np-sr-only">: yes</span>' in content
    assert "Municipalities with all three" in content


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("participant", 403),
        ("leader_karmoy", 403),
        ("facilitator_other", 403),
        ("ministry", 200),
        ("admin_user", 200),
    ],
)
def test_matrix_is_for_facilitators_and_programme_staff(request, login, persona, status, programme):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("gatherings:attendance", args=["omdomme"])).status_code == status
