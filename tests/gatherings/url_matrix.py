from gatherings.models import Gathering
from tests.matrix import Case, expect


def omdomme_first():
    return {"pk": Gathering.objects.get(network__slug="omdomme", kind="samling_1").pk}


def omdomme_second_draft():
    return {"pk": Gathering.objects.get(network__slug="omdomme", kind="samling_2").pk}


# A draft is visible to programme staff, administrators and the network's facilitator only.
DRAFT = expect(404, facilitator=200, ministry=200, admin_user=200)

CASES = [
    Case("gatherings:list", expect(200)),
    Case("gatherings:detail", expect(200), kwargs=omdomme_first),
    Case("gatherings:detail", DRAFT, kwargs=omdomme_second_draft, label="draft"),
    Case("gatherings:ical", expect(200), kwargs=omdomme_first),
    Case("gatherings:ical", DRAFT, kwargs=omdomme_second_draft, label="draft"),
]
