"""The project page: who may edit it, drafts and publishing, history, diff, restore, and no
lost work when two people edit at once."""

import pytest
from django.urls import reverse

from municipalities.models import (
    PAGE_SECTION_KEYS,
    Attachment,
    Participant,
    ProjectPage,
    ProjectPageVersion,
    Story,
)
from tests.factories import ParticipantFactory, UserFactory
from tests.municipalities.factories import (
    attachment,
    page_with_versions,
    pdf_upload,
    save_page,
    story,
    upload,
)

pytestmark = pytest.mark.django_db

EDIT = "/en/prosjekter/karmoy-omdomme/rediger/"


def _form(**texts):
    data = {"loaded_version": 1, "summary": "", "action": "save"}
    data.update(texts)
    return data


def _snapshot():
    """Everything an editing attempt on Karmøy could change."""
    return {
        "pages": list(ProjectPage.objects.values_list("pk", "version", *PAGE_SECTION_KEYS)),
        "versions": list(
            ProjectPageVersion.objects.values_list("pk", "number", "published_at", "background")
        ),
        "participants": list(
            Participant.objects.filter(local_project__slug="karmoy-omdomme")
            .order_by("pk")
            .values_list("pk", "name", "email", "version", "is_project_leader")
        ),
        "stories": list(Story.objects.values_list("pk", "title", "version", "is_published")),
        "attachments": list(Attachment.objects.values_list("pk", "title")),
    }


# --- Who may edit -----------------------------------------------------------------------------


def test_leader_saves_a_draft_that_the_public_does_not_see(login, leader_karmoy, karmoy):
    response = login(leader_karmoy).post(
        EDIT, _form(background="Vi vil bli en *god* arbeidsgiver.")
    )
    assert response.status_code == 302
    page = ProjectPage.objects.get(local_project=karmoy)
    version = page.current_version
    assert (version.number, version.author, version.is_published) == (1, leader_karmoy, False)
    assert version.background_html == "<p>Vi vil bli en <em>god</em> arbeidsgiver.</p>"
    assert page.published_version is None
    public = login(None).get(karmoy.get_absolute_url()).content.decode()
    assert "god</em> arbeidsgiver" not in public


def test_publishing_needs_a_summary_and_then_shows_the_page(login, leader_karmoy, karmoy):
    client = login(leader_karmoy)
    response = client.post(EDIT, _form(background="Bakgrunnen.", action="publish"))
    assert response.status_code == 200
    assert response.context["form"].errors["summary"]
    assert not ProjectPage.objects.filter(local_project=karmoy, current_version__isnull=False)

    response = client.post(
        EDIT, _form(background="Bakgrunnen.", action="publish", summary="Første versjon")
    )
    assert response.status_code == 302 and response["Location"] == karmoy.get_absolute_url()
    version = ProjectPage.objects.get(local_project=karmoy).published_version
    assert (version.summary, version.published_by) == ("Første versjon", leader_karmoy)
    assert "Bakgrunnen." in login(None).get(karmoy.get_absolute_url()).content.decode()


def test_publishing_an_unchanged_draft_writes_no_new_version(login, leader_karmoy, karmoy):
    save_page(karmoy, leader_karmoy, background="Utkast.")
    page = ProjectPage.objects.get(local_project=karmoy)
    data = _form(
        background="Utkast.", action="publish", summary="Klar", loaded_version=page.version
    )
    login(leader_karmoy).post(EDIT, data)
    page.refresh_from_db()
    assert page.versions.count() == 1
    assert page.published_version_id == page.current_version_id
    assert page.published_version.summary == "Klar"


def test_the_public_sees_the_published_version_not_a_later_draft(client, karmoy):
    save_page(karmoy, background="Publisert tekst.", publish=True)
    save_page(karmoy, background="Ny tekst, ikke publisert.")
    content = client.get(karmoy.get_absolute_url()).content.decode()
    assert "Publisert tekst." in content and "ikke publisert" not in content


def test_facilitator_and_administrator_may_edit(login, facilitator, admin_user, karmoy):
    for number, user in enumerate((facilitator, admin_user), start=1):
        response = login(user).post(
            EDIT, _form(background=f"Tekst {number}", loaded_version=number)
        )
        assert response.status_code == 302, user
    assert ProjectPage.objects.get(local_project=karmoy).background == "Tekst 2"


@pytest.mark.parametrize(
    "persona", ["participant", "leader_strand", "facilitator_other", "ministry"]
)
def test_others_cannot_open_the_editor(login, request, persona, karmoy):
    user = request.getfixturevalue(persona)
    assert login(user).get(EDIT).status_code == 403
    assert login(user).post(EDIT, _form(background="Kapret")).status_code == 403
    assert not ProjectPage.objects.filter(local_project=karmoy).exists()


def test_anonymous_is_sent_to_sign_in(client, karmoy):
    response = client.get(EDIT)
    assert response.status_code == 302 and "/logg-inn/" in response["Location"]


def _karmoy_objects(karmoy):
    page = page_with_versions(karmoy, count=2)
    member = ParticipantFactory(local_project=karmoy, name="Kari Karmøy")
    a_story = story(karmoy, published=False)
    document = attachment(karmoy)
    return page, member, a_story, document


def _strands_attempts(karmoy, page, member, a_story, document):
    base = "/en/prosjekter/karmoy-omdomme"
    csv = "\ufeffNavn;Rolle\r\nInntrenger;HR\r\n".encode()
    return [
        ("get", f"{base}/rediger/", None),
        ("post", f"{base}/rediger/", _form(background="Kapret", loaded_version=page.version)),
        ("get", f"{base}/historikk/", None),
        ("get", f"{base}/historikk/1/", None),
        ("get", f"{base}/historikk/sammenlign/?fra=1&til=2", None),
        ("post", f"{base}/historikk/1/gjenopprett/", {}),
        ("get", f"{base}/deltakere/ny/", None),
        ("post", f"{base}/deltakere/ny/", {"name": "Inntrenger", "role": "hr"}),
        ("get", f"{base}/deltakere/{member.pk}/rediger/", None),
        (
            "post",
            f"{base}/deltakere/{member.pk}/rediger/",
            {"name": "Endret", "role": "hr", "loaded_version": 1},
        ),
        ("post", f"{base}/deltakere/{member.pk}/fjern/", {}),
        ("get", f"{base}/deltakere/importer/", None),
        ("post", f"{base}/deltakere/importer/", {"file": upload("liste.csv", csv)}),
        ("post", f"{base}/deltakere/importer/", {"token": "gjett"}),
        ("get", f"{base}/deltakere/importmal.xlsx", None),
        ("get", f"{base}/historier/ny/", None),
        ("post", f"{base}/historier/ny/", {"title": "Kapret", "date": "2012-09-01"}),
        (
            "post",
            f"{base}/historier/{a_story.pk}/rediger/",
            {"title": "Kapret", "loaded_version": 1},
        ),
        ("post", f"{base}/historier/{a_story.pk}/slett/", {}),
        ("get", f"{base}/vedlegg/ny/", None),
        ("post", f"{base}/vedlegg/ny/", {"file": pdf_upload()}),
        ("post", f"{base}/vedlegg/{document.pk}/slett/", {}),
    ]


def test_strands_leader_cannot_touch_karmoys_page(login, leader_strand, karmoy):
    """Edit, history, participants, import, upload and restore: refused, nothing changes."""
    objects = _karmoy_objects(karmoy)
    before = _snapshot()
    client = login(leader_strand)
    for method, url, data in _strands_attempts(karmoy, *objects):
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        assert response.status_code in (403, 404), f"{method.upper()} {url}: {response.status_code}"
    assert _snapshot() == before


def test_strands_leader_does_not_see_karmoys_unpublished_files(login, leader_strand, karmoy):
    document = attachment(karmoy)
    draft = story(karmoy, published=False, image=True)
    client = login(leader_strand)
    assert client.get(document.get_absolute_url()).status_code == 404
    assert client.get(draft.image_url).status_code == 404


# --- History, diff, restore -------------------------------------------------------------------


def test_history_lists_every_version_with_who_and_when(login, leader_karmoy, facilitator, karmoy):
    save_page(karmoy, leader_karmoy, background="En.", publish=True, summary="Første")
    save_page(karmoy, facilitator, background="To.")
    response = login(leader_karmoy).get("/en/prosjekter/karmoy-omdomme/historikk/")
    versions = list(response.context["page_obj"])
    assert [(v.number, v.author) for v in versions] == [(2, facilitator), (1, leader_karmoy)]
    content = response.content.decode()
    assert "Første" in content and "On the public page" in content and "Latest draft" in content


def test_history_keeps_date_and_time_on_one_line_and_shortens_long_summaries(
    login, leader_karmoy, karmoy
):
    long_summary = (
        "Skrev om bakgrunnen etter samlingen i Bodø, la til målene for 2013 og rettet "
        "navnene på alle deltakerne fra Karmøy kommune og tillitsvalgte"
    )
    save_page(karmoy, leader_karmoy, background="En.", publish=True, summary=long_summary)
    save_page(karmoy, leader_karmoy, background="To.", summary="Kort")
    content = login(leader_karmoy).get("/en/prosjekter/karmoy-omdomme/historikk/").content
    html = content.decode()
    assert '<table class="ds-table np-history-table"' in html
    assert html.count('<td class="np-nowrap"><time datetime=') == 2
    assert f"<summary>{long_summary[:79]}…</summary>{long_summary}</details>" in html
    assert '<td class="np-summary">Kort' in html
    assert 'style="' not in html


def test_ministry_reads_the_history_but_cannot_restore(login, ministry, karmoy):
    page_with_versions(karmoy, count=2)
    client = login(ministry)
    response = client.get("/en/prosjekter/karmoy-omdomme/historikk/")
    assert response.status_code == 200 and "gjenopprett" not in response.content.decode()
    assert client.post("/en/prosjekter/karmoy-omdomme/historikk/1/gjenopprett/").status_code == 403


def test_compare_shows_removed_and_added_lines_with_labels(login, leader_karmoy, karmoy):
    save_page(karmoy, background="Første avsnitt.\n\nAndre avsnitt.", purpose="Uendret.")
    save_page(karmoy, background="Første avsnitt.\n\nAndre, endrede avsnitt.", purpose="Uendret.")
    response = login(leader_karmoy).get(
        "/en/prosjekter/karmoy-omdomme/historikk/sammenlign/?fra=1&til=2"
    )
    sections = {s["key"]: s for s in response.context["sections"]}
    assert sections["background"]["changed"] and not sections["purpose"]["changed"]
    kinds = [(line.kind, line.text) for line in sections["background"]["lines"]]
    assert ("removed", "Andre avsnitt.") in kinds and ("added", "Andre, endrede avsnitt.") in kinds
    assert ("same", "Første avsnitt.") in kinds
    content = response.content.decode()
    assert "<del" in content and "<ins" in content
    assert "Removed" in content and "Added" in content  # text labels, not colour alone
    assert "<mark>,</mark>" in content or "<mark>, endrede</mark>" in content


def test_compare_with_an_unknown_version_shows_an_error(login, leader_karmoy, karmoy):
    page_with_versions(karmoy, count=2)
    response = login(leader_karmoy).get(
        "/en/prosjekter/karmoy-omdomme/historikk/sammenlign/?fra=1&til=9"
    )
    assert response.status_code == 200 and response.context["form"].errors["til"]


def test_restore_makes_the_old_text_a_new_draft(login, leader_karmoy, karmoy):
    save_page(karmoy, background="Den første teksten.", publish=True)
    save_page(karmoy, background="En dårligere tekst.")
    response = login(leader_karmoy).post("/en/prosjekter/karmoy-omdomme/historikk/1/gjenopprett/")
    assert response.status_code == 302
    page = ProjectPage.objects.get(local_project=karmoy)
    assert page.versions.count() == 3
    restored = page.current_version
    assert (restored.number, restored.background) == (3, "Den første teksten.")
    assert restored.restored_from.number == 1 and restored.author == leader_karmoy
    assert page.background == "Den første teksten."
    assert page.versions.get(number=2).background == "En dårligere tekst."  # kept in the history
    assert page.published_version.number == 1


def test_version_view_shows_a_draft_to_editors(login, leader_karmoy, karmoy):
    save_page(karmoy, background="Utkastet.")
    response = login(leader_karmoy).get("/en/prosjekter/karmoy-omdomme/historikk/1/")
    assert "Utkastet." in response.content.decode()


# --- No lost work -----------------------------------------------------------------------------


def _open_editor(client):
    return client.get(EDIT).context["form"]["loaded_version"].value()


def test_two_editors_at_once_lose_nothing(login, leader_karmoy, facilitator, karmoy):
    save_page(karmoy, background="Felles utgangspunkt.", purpose="Hensikt.")
    first, second = login(leader_karmoy), login(facilitator)
    loaded_first, loaded_second = _open_editor(first), _open_editor(second)
    assert loaded_first == loaded_second == 2

    def save(client, loaded, **texts):
        """Each keeps the purpose as they loaded it and changes other sections."""
        return client.post(EDIT, _form(purpose="Hensikt.", loaded_version=loaded, **texts))

    response = save(first, loaded_first, background="Lederens tekst.", goals="Lederens mål.")
    assert response.status_code == 302

    response = save(
        second,
        loaded_second,
        background="Veilederens tekst.",
        anchoring="Veilederens forankring.",
    )
    assert response.status_code == 409
    page = ProjectPage.objects.get(local_project=karmoy)
    assert page.background == "Lederens tekst."  # the first save stands
    assert page.versions.count() == 2

    # Side by side: both texts of the section both changed.
    conflicts = {c.name: c for c in response.context["conflicts"]}
    assert set(conflicts) == {"background"}
    assert (conflicts["background"].yours, conflicts["background"].current) == (
        "Veilederens tekst.",
        "Lederens tekst.",
    )
    content = response.content.decode()
    assert "Veilederens tekst." in content and "Lederens tekst." in content
    # The form holds the second editor's text, the first editor's goals (changed only by them)
    # and the second editor's anchoring, and saves over the current version.
    form = response.context["form"]
    assert form.data["background"] == "Veilederens tekst."
    assert form.data["goals"] == "Lederens mål."
    assert form.data["anchoring"] == "Veilederens forankring."
    assert [c.name for c in response.context["taken"]] == ["goals"]

    merged = dict(form.data.items())
    merged["background"] = "Lederens tekst.\n\nVeilederens tekst."
    assert second.post(EDIT, merged).status_code == 302
    page.refresh_from_db()
    assert page.background == "Lederens tekst.\n\nVeilederens tekst."
    assert page.goals == "Lederens mål." and page.anchoring == "Veilederens forankring."
    assert [v.number for v in page.versions.order_by("number")] == [1, 2, 3]


def test_conflict_view_offers_a_line_diff(login, leader_karmoy, facilitator, karmoy):
    save_page(karmoy, background="Linje en.\nLinje to.")
    first, second = login(leader_karmoy), login(facilitator)
    loaded = _open_editor(first)
    first.post(EDIT, _form(background="Linje en.\nLinje to, endret.", loaded_version=loaded))
    response = second.post(EDIT, _form(background="Linje en.\nLinje tre.", loaded_version=loaded))
    (conflict,) = response.context["conflicts"]
    assert [(line.kind, line.text) for line in conflict.diff] == [
        ("same", "Linje en."),
        ("removed", "Linje to, endret."),
        ("added", "Linje tre."),
    ]
    assert "Only in your text" in response.content.decode()


def test_preview_renders_without_saving(login, leader_karmoy, karmoy):
    response = login(leader_karmoy).post(
        EDIT, _form(background="## Mål\n\n- Flere søkere", action="preview")
    )
    assert response.status_code == 200
    preview = {key: html for key, _label, html in response.context["preview"]}
    assert preview["background"] == "<h3>Mål</h3>\n<ul>\n<li>Flere søkere</li>\n</ul>"
    assert not ProjectPage.objects.filter(local_project=karmoy).exists()


def test_saving_unchanged_text_writes_nothing(login, leader_karmoy, karmoy):
    save_page(karmoy, background="Samme.")
    login(leader_karmoy).post(EDIT, _form(background="Samme.", loaded_version=2))
    assert ProjectPageVersion.objects.filter(page__local_project=karmoy).count() == 1


# --- Query counts -----------------------------------------------------------------------------


def _grow_project(project, size):
    for number in range(size):
        save_page(project, background=f"Versjon {number}", publish=number == 0)
    ParticipantFactory.create_batch(size * 3, local_project=project)
    for number in range(size):
        a_story = story(project, title=f"Historie {number}", image=True, published=number % 2 == 0)
        attachment(project, story=a_story, name=f"Vedlegg {number}.pdf")
        attachment(project, name=f"Dokument {number}.pdf")


@pytest.mark.parametrize("size", [1, 5])
def test_project_page_query_count_is_constant_for_the_public(
    client, karmoy, django_assert_num_queries, size
):
    _grow_project(karmoy, size)
    with django_assert_num_queries(5):
        response = client.get(karmoy.get_absolute_url())
    assert len(response.context["stories"]) == (size + 1) // 2


@pytest.mark.parametrize("size", [1, 5])
def test_project_page_query_count_is_constant_for_its_leader(
    login, leader_karmoy, karmoy, django_assert_num_queries, size
):
    _grow_project(karmoy, size)
    client = login(leader_karmoy)
    with django_assert_num_queries(10):
        response = client.get(karmoy.get_absolute_url())
    assert len(response.context["stories"]) == size


@pytest.mark.parametrize("size", [2, 8])
def test_history_query_count_is_constant(
    login, leader_karmoy, karmoy, django_assert_num_queries, size
):
    user = UserFactory()
    for number in range(size):
        save_page(karmoy, user if number % 2 else leader_karmoy, background=f"Versjon {number}")
    client = login(leader_karmoy)
    with django_assert_num_queries(8):
        response = client.get("/en/prosjekter/karmoy-omdomme/historikk/")
    assert len(response.context["page_obj"]) == size


def test_project_page_links_the_editing_pages_for_editors_only(login, leader_karmoy, karmoy):
    editor_page = login(leader_karmoy).get(karmoy.get_absolute_url()).content.decode()
    public_page = login(None).get(karmoy.get_absolute_url()).content.decode()
    edit_url = reverse("municipalities:page_edit", args=[karmoy.slug])
    assert edit_url in editor_page and edit_url not in public_page


def test_a_page_section_too_long_to_render_quickly_is_refused(login, leader_karmoy, karmoy):
    from municipalities.forms import LONG_TEXT_MAX

    response = login(leader_karmoy).post(EDIT, _form(background="*a" * LONG_TEXT_MAX))
    assert response.status_code == 200
    assert "Ensure this value has at most" in response.content.decode()
    assert not ProjectPageVersion.objects.filter(page__local_project=karmoy).exists()
