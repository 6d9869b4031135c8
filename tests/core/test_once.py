"""``{% once %}`` renders the parts of the layout that every page repeats once per language
and key; what differs per page or per visitor stays per request."""

import re

import pytest
from django.template import engines
from django.utils import translation

from network.models import Programme

TEMPLATE = "{% load portal %}{% once key %}[{{ counter.next }}]{% endonce %}"


class Counter:
    def __init__(self):
        self.calls = 0

    def next(self) -> int:
        self.calls += 1
        return self.calls


def test_the_content_is_rendered_once_per_key_and_language():
    template = engines["django"].from_string(TEMPLATE)
    counter = Counter()
    assert template.render({"key": "a", "counter": counter}) == "[1]"
    assert template.render({"key": "a", "counter": counter}) == "[1]"
    assert template.render({"key": "b", "counter": counter}) == "[2]"
    with translation.override("nn"):
        assert template.render({"key": "a", "counter": counter}) == "[3]"
    assert counter.calls == 3


def test_a_key_that_cannot_be_hashed_renders_every_time():
    template = engines["django"].from_string(TEMPLATE)
    counter = Counter()
    template.render({"key": {"a": 1}, "counter": counter})
    template.render({"key": {"a": 1}, "counter": counter})
    assert counter.calls == 2


@pytest.mark.django_db
def test_a_renamed_programme_shows_in_the_header_and_footer_at_once(client, programme):
    assert "Saman om ein betre kommune" in client.get("/").content.decode()
    Programme.objects.filter(pk=programme.pk).update(name="Eit nytt namn", owners="KS")
    content = client.get("/nettverk/omdomme/").content.decode()
    header = content[content.index("<header") : content.index("</header>")]
    footer = content[content.index("<footer") :]
    assert "Eit nytt namn" in header
    assert "«Eit nytt namn» (2012–2013)" in footer and "KS" in footer
    assert "Saman om ein betre kommune" not in header + footer


@pytest.mark.django_db
def test_each_visitor_gets_a_logout_form_with_their_own_token(login, leader_karmoy, facilitator):
    tokens = []
    for user in (leader_karmoy, facilitator):
        client = login(user)
        content = client.get("/").content.decode()
        form = re.search(r'<form class="np-account__logout".*?</form>', content, re.S).group(0)
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1))
    assert tokens[0] != tokens[1]


@pytest.mark.django_db
def test_the_menu_marks_the_page_of_each_request(client, programme):
    home = client.get("/en/").content.decode()
    municipalities = client.get("/en/kommuner/").content.decode()
    assert 'href="/en/" aria-current="page">Home' in home
    assert 'href="/en/kommuner/" aria-current="page">Municipalities' in municipalities
    assert 'href="/en/" aria-current="page">' not in municipalities


@pytest.mark.django_db
def test_the_language_links_lead_to_the_same_page(client, programme):
    content = client.get("/nn/kommuner/1149/?a=b").content.decode()
    links = re.search(r'<nav class="np-lang".*?</nav>', content, re.S).group(0)
    assert 'href="/kommuner/1149/?a=b"' in links
    assert 'href="/en/kommuner/1149/?a=b"' in links
    assert 'href="/nn/kommuner/1149/?a=b" lang="nn" hreflang="nn" aria-current="true"' in links
