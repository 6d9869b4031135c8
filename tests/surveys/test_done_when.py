"""The issue's «done when», tried as a new user would: Karmøy's leader opens a baseline survey of
its employees and invites them by e-mail, 12 answers come in through the one-time links in Bokmål
and Nynorsk, the survey closes, the results page shows the index and the three words given by
at least three respondents, and Karmøy's progress page and the ministry overview show the
reputation index at the baseline; a survey with 3 answers shows no numbers."""

import csv
import html
import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from measurements.models import Measurement
from surveys.models import SurveyRun
from tests.measurements.factories import indicator, url
from tests.surveys.factories import form_data

pytestmark = pytest.mark.django_db

#: (language, rating of every statement, the words given): the mean of every statement is
#: 53 / 12 and the index ((53 / 12) − 1) / 5 × 100 = 68.33… → 68.3.
ANSWERS = [
    ("nb", 6, ("Havet", "flott", "trygg")),
    ("nb", 5, ("havet",)),
    ("nb", 5, ("Gammeldags", "havet")),
    ("nb", 4, ()),
    ("nb", 4, ("Trygg",)),
    ("nb", 3, ()),
    ("nn", 5, ("Havet", "Sildebyen")),
    ("nn", 5, ()),
    ("nn", 4, ("trygg",)),
    ("nn", 4, ()),
    ("nn", 6, ("Havet!",)),
    ("nn", 2, ()),
]


def text(response) -> str:
    return html.unescape(response.content.decode())


def open_survey(client, project, round, group, *, open_link=False) -> SurveyRun:
    today = timezone.localdate()
    response = client.post(
        url("surveys:run_create", project.slug, lang="en"),
        {
            "round": round.pk,
            "target_group": group,
            "opens_on": str(today),
            "closes_on": str(round.closes_on),
            "accepts_open_link": "on" if open_link else "",
        },
    )
    assert response.status_code == 302
    return SurveyRun.objects.get(local_project=project, round=round, target_group=group)


def test_karmoy_measures_its_reputation_at_the_baseline(
    login, leader_karmoy, ministry, karmoy, baseline
):
    leader = login(leader_karmoy)
    run = open_survey(leader, karmoy, baseline, "employees")
    page = text(leader.get(url("surveys:run", karmoy.slug, run.pk, lang="en")))
    assert "Only the invitation links take answers" in page
    invite_url = url("surveys:invite", karmoy.slug, run.pk, lang="en")
    nonce = re.search(r'name="nonce" value="([^"]+)"', text(leader.get(invite_url))).group(1)
    addresses = [f"ansatt{number}@karmoy.example" for number in range(len(ANSWERS))]
    sent = leader.post(invite_url, {"addresses": "\n".join(addresses), "nonce": nonce})
    assert sent.status_code == 302
    links = [re.search(r"http://testserver(\S+)", m.body).group(1) for m in mail.outbox]
    assert len(links) == len(ANSWERS)

    for (language, rating, words), link in zip(ANSWERS, links, strict=True):
        respondent = Client()  # all from one address: each link answers once, unthrottled
        path, token = link.split("?i=")
        path = path.removeprefix("/en")  # the leader's language; the respondent chooses
        path = path if language == "nb" else f"/{language}{path}"
        assert respondent.get(f"{path}?i={token}").status_code == 200
        posted = respondent.post(path, form_data(run, rating, words, invitation=token))
        assert posted.status_code == 302
    assert run.responses.count() == 12
    assert not run.responses.filter(through_open_link=True).exists()

    closed = leader.post(url("surveys:close", karmoy.slug, run.pk, lang="en"), {})
    assert closed.status_code == 302

    results = text(leader.get(url("surveys:run", karmoy.slug, run.pk, lang="en")))
    assert "68.3" in results and "12 answers" in results
    words = re.findall(r'<td>([^<]+)</td><td class="np-num">(\d+)</td>', results)
    assert words == [("havet", "5"), ("trygg", "3")]  # a word of one or two respondents: not shown
    assert "sildebyen" not in results.lower() and "Open link" not in results

    index = indicator(karmoy, "Omdømmeindeks")  # the theme's own reputation indicator
    assert Measurement.objects.get(indicator=index, round=baseline, part="").value == Decimal(
        "68.3"
    )
    assert Measurement.objects.get(
        indicator=index, round=baseline, part="employees"
    ).value == Decimal("68.3")

    progress = text(leader.get(url("measurements:project_progress", karmoy.slug, lang="en")))
    article = re.search(rf'id="indikator-{index.pk}".*?</article>', progress, re.S).group(0)
    assert '<th scope="row">Nullpunkt</th> <td class="np-num">68.3</td>' in " ".join(
        article.split()
    )
    assert "Omdømmeundersøkelsen i Nettverksportalen (ansatte, Nullpunkt): 12 svar" in article

    ministry_client = login(ministry)
    overview = text(ministry_client.get(url("measurements:overview", lang="en")))
    karmoy_row = re.search(r">Karmøy</a></th>(.*?)</tr>", overview, re.S).group(1)
    # the catalogue's two indicators to report, and the index the survey filled
    assert "1 of 3 indicators, no anchoring stage" in karmoy_row
    export = text(ministry_client.get(url("measurements:export_csv", lang="en")))
    rows = list(csv.reader(io.StringIO(export.lstrip("\ufeff")), delimiter=";"))
    assert [row[8:12] for row in rows if row[2] == "karmoy-omdomme" and row[5] == index.name] == [
        [
            "Nullpunkt",
            "68,3",
            "Omdømmeundersøkelsen i Nettverksportalen (ansatte, Nullpunkt): 12 svar, "
            "spørreskjema versjon 1.",
            "Omdømmeundersøkelse",
        ]
    ]

    # A survey of residents with three answers shows no numbers.
    residents = open_survey(leader, karmoy, baseline, "residents", open_link=True)
    for rating in (6, 2, 4):
        Client().post(f"/undersokelse/{residents.token}/", form_data(residents, rating))
    leader.post(url("surveys:close", karmoy.slug, residents.pk, lang="en"), {})
    page = text(leader.get(url("surveys:run", karmoy.slug, residents.pk, lang="en")))
    assert "Too few answers to show results (at least 5 are needed)." in page
    assert "Reputation index" not in page
    assert not Measurement.objects.filter(part="residents").exists()
