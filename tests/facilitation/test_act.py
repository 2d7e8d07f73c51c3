"""The console's act side: seeding a thread from a template, private notes, the stage
playbook, the console's panel, and the stage as members and sponsors see it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from communities.models import AuditEvent, Community
from communities.services.communities import community_change_stage
from discussions.models import Thread
from facilitation.models import FacilitatorNote, PlaybookTick, SeedTemplate
from facilitation.playbook import PLAYBOOKS
from facilitation.selectors.act import act_context
from facilitation.services.act import (
    note_create,
    note_edit,
    playbook_tick_toggle,
    seed_thread_post,
)
from members.models import User
from tests.conftest import make_community
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
A = AuditEvent.Action


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def coalescing(community: Community, facilitator: User) -> Community:
    return community_change_stage(community=community, by=facilitator, stage="coalescing")


def template(stage: str = "coalescing", **fields: object) -> SeedTemplate:
    values: dict[str, object] = {
        "kind": "question",
        "title_nl": "Wat is jouw lastigste casus?",
        "title_en": "What is your hardest case?",
        "body_nl": "Beschrijf hem kort.",
        "body_en": "Describe it briefly.",
        **fields,
    }
    return SeedTemplate.objects.create(stage=stage, **values)


# --- seed templates ----------------------------------------------------------------------------


def test_the_first_templates_cover_every_stage() -> None:
    # Added by the data migration: product content, not demo data.
    stages = set(SeedTemplate.objects.filter(is_active=True).values_list("stage", flat=True))
    assert stages == set(Community.Stage.values)
    titles = set(SeedTemplate.objects.values_list("title_en", flat=True))
    assert {"Introduce yourself", "What is your hardest case right now?"} <= titles


def test_a_facilitator_seeds_a_thread_as_their_own_post(
    coalescing: Community, facilitator: User
) -> None:
    seed = template()
    thread = seed_thread_post(
        community=coalescing,
        by=facilitator,
        template=seed,
        kind="question",
        title="Wat is jouw lastigste casus deze week?",
        body="Vertel!",
    )
    assert thread.author == facilitator
    assert thread.kind == Thread.Kind.QUESTION
    row = AuditEvent.objects.get(community=coalescing, action=A.THREAD_SEEDED)
    assert row.detail == {"thread_id": thread.pk, "template_id": seed.pk}


def test_members_do_not_seed_threads(coalescing: Community, member: User) -> None:
    with pytest.raises(PermissionDenied):
        seed_thread_post(
            community=coalescing,
            by=member,
            template=template(),
            kind="question",
            title="T",
            body="B",
        )


def test_a_template_starts_no_announcement(coalescing: Community, facilitator: User) -> None:
    with pytest.raises(ValidationError):
        seed_thread_post(
            community=coalescing,
            by=facilitator,
            template=template(),
            kind="announcement",
            title="T",
            body="B",
        )


def test_the_seed_page_lists_the_stage_first_others_folded_in_fixed_queries(
    coalescing: Community, facilitator: User, django_assert_num_queries
) -> None:
    SeedTemplate.objects.all().delete()
    template(title_en="Hardest case", title_nl="Lastigste casus")
    template(stage="maturing", title_en="Failure story", title_nl="Mislukking")
    client = _client(facilitator)
    url = reverse("facilitation:seed", kwargs={"slug": coalescing.slug})
    client.get(url)
    # session + user (with access) + community + templates
    with django_assert_num_queries(4):
        page = client.get(url).content.decode()
    # The community writes Dutch: the template is offered in Dutch.
    assert page.index("Lastigste casus") < page.index('<details class="disclosure"')
    assert page.index('<details class="disclosure"') < page.index("Mislukking")
    for n in range(5):
        template(title_en=f"More {n}", title_nl=f"Meer {n}")
    with django_assert_num_queries(4):
        client.get(url)


def test_two_taps_pick_a_template_then_post_it_edited(
    coalescing: Community, facilitator: User
) -> None:
    seed = template()
    client = _client(facilitator)
    url = reverse(
        "facilitation:seed-template", kwargs={"slug": coalescing.slug, "template_id": seed.pk}
    )
    form = client.get(url).content.decode()
    assert "Wat is jouw lastigste casus?" in form
    response = client.post(
        url, {"kind": "question", "title": "Wat is jouw lastigste casus nu?", "body": "Vertel."}
    )
    thread = Thread.objects.get(title="Wat is jouw lastigste casus nu?")
    assert response["Location"] == thread.get_absolute_url()


def test_a_site_admin_who_is_no_member_is_told_rather_than_posting(
    coalescing: Community, site_admin: User
) -> None:
    seed = template()
    url = reverse(
        "facilitation:seed-template", kwargs={"slug": coalescing.slug, "template_id": seed.pk}
    )
    response = _client(site_admin).post(url, {"kind": "question", "title": "T", "body": "B"})
    assert response.status_code == 200
    assert not Thread.objects.filter(title="T").exists()


# --- notes -------------------------------------------------------------------------------------


def test_a_facilitator_writes_a_note_stored_sanitised(
    community: Community, facilitator: User
) -> None:
    note = note_create(
        community=community,
        author=facilitator,
        body="**Let op** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=y>",
    )
    assert "<strong>Let op</strong>" in note.body_html
    assert "<script" not in note.body_html
    assert 'href="javascript' not in note.body_html
    assert "<img" not in note.body_html
    assert AuditEvent.objects.get(action=A.NOTE_ADDED).detail == {"note_id": note.pk}


def test_the_notes_page_shows_sanitised_html(community: Community, facilitator: User) -> None:
    note_create(community=community, author=facilitator, body="<script>alert(1)</script> hoi")
    page = (
        _client(facilitator)
        .get(reverse("facilitation:notes", kwargs={"slug": community.slug}))
        .content.decode()
    )
    assert "hoi" in page
    assert "<script>alert(1)" not in page


@pytest.mark.parametrize("persona", ["member", "core_member", "sponsor", "outsider"])
def test_notes_answer_404_to_everyone_but_facilitators(
    request: pytest.FixtureRequest, community: Community, facilitator: User, persona: str
) -> None:
    note = note_create(community=community, author=facilitator, body="Geheim")
    user = request.getfixturevalue(persona)
    client = _client(user)
    assert (
        client.get(reverse("facilitation:notes", kwargs={"slug": community.slug})).status_code
        == 404
    )
    edit = reverse("facilitation:note-edit", kwargs={"slug": community.slug, "note_id": note.pk})
    assert client.get(edit).status_code == 404
    with pytest.raises(PermissionDenied):
        note_create(community=community, author=user, body="x")


def test_a_facilitator_of_another_community_sees_no_notes_here(
    community: Community, facilitator: User, site_admin: User
) -> None:
    elsewhere = UserFactory()
    make_community(site_admin, elsewhere, "elders")
    note_create(community=community, author=facilitator, body="Geheim")
    url = reverse("facilitation:notes", kwargs={"slug": community.slug})
    assert _client(elsewhere).get(url).status_code == 404
    assert _client(site_admin).get(url).status_code == 200


def test_only_its_author_edits_a_note(
    community: Community, facilitator: User, site_admin: User
) -> None:
    note = note_create(community=community, author=facilitator, body="Eerst")
    colleague = UserFactory()
    from communities.services.memberships import membership_grant

    membership_grant(community=community, user=colleague, role=30, granted_by=site_admin)
    with pytest.raises(PermissionDenied):
        note_edit(note=note, by=colleague, body="Anders")
    note_edit(note=note, by=facilitator, body="Daarna")
    note.refresh_from_db()
    assert note.body == "Daarna"
    assert note.edited_at is not None
    edit = reverse("facilitation:note-edit", kwargs={"slug": community.slug, "note_id": note.pk})
    assert _client(colleague).get(edit).status_code == 403


def test_notes_are_never_found_by_search(community: Community, facilitator: User) -> None:
    note_create(community=community, author=facilitator, body="Zeldzaamwoord over Piet")
    page = _client(facilitator).get(reverse("discussions:search"), {"q": "Zeldzaamwoord"})
    assert "Zeldzaamwoord over Piet" not in page.content.decode()


def test_deleting_a_note_leaves_an_audit_row_without_its_text(
    community: Community, facilitator: User
) -> None:
    note = note_create(community=community, author=facilitator, body="Weg ermee")
    url = reverse("facilitation:note-delete", kwargs={"slug": community.slug, "note_id": note.pk})
    _client(facilitator).post(url)
    assert not FacilitatorNote.objects.exists()
    row = AuditEvent.objects.get(action=A.NOTE_DELETED)
    assert "Weg ermee" not in str(row.detail)


def test_the_notes_page_reads_in_fixed_queries(
    community: Community, facilitator: User, django_assert_num_queries
) -> None:
    client = _client(facilitator)
    url = reverse("facilitation:notes", kwargs={"slug": community.slug})
    note_create(community=community, author=facilitator, body="Een")
    client.get(url)
    # session + user (with access) + community + notes with authors
    with django_assert_num_queries(4):
        client.get(url)
    for n in range(5):
        note_create(community=community, author=UserFactory() and facilitator, body=f"N{n}")
    with django_assert_num_queries(4):
        client.get(url)


# --- the playbook ------------------------------------------------------------------------------


def test_every_stage_has_a_playbook_with_unique_step_keys() -> None:
    assert set(PLAYBOOKS) == set(Community.Stage.values)
    keys = [step.key for playbook in PLAYBOOKS.values() for step in playbook.steps]
    assert len(keys) == len(set(keys))
    assert [s.key for s in PLAYBOOKS["coalescing"].steps] == [
        "charter",
        "hard_case",
        "energy",
        "one_to_one",
        "first_value",
    ]


def test_a_facilitator_ticks_a_step_off_and_on_again(
    coalescing: Community, facilitator: User
) -> None:
    assert playbook_tick_toggle(community=coalescing, by=facilitator, item="charter") is True
    tick = PlaybookTick.objects.get(community=coalescing)
    assert tick.ticked_by == facilitator
    assert playbook_tick_toggle(community=coalescing, by=facilitator, item="charter") is False
    assert not PlaybookTick.objects.exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="playbook").values_list("action", flat=True)
    )
    assert sorted(actions) == [A.PLAYBOOK_TICKED, A.PLAYBOOK_UNTICKED]


def test_a_step_of_another_stage_is_refused(coalescing: Community, facilitator: User) -> None:
    with pytest.raises(ValidationError):
        playbook_tick_toggle(community=coalescing, by=facilitator, item="thank")


def test_members_tick_nothing(coalescing: Community, member: User) -> None:
    with pytest.raises(PermissionDenied):
        playbook_tick_toggle(community=coalescing, by=member, item="charter")
    url = reverse("facilitation:playbook", kwargs={"slug": coalescing.slug})
    assert _client(member).get(url).status_code == 403


def test_the_playbook_page_shows_the_theory_name_and_its_explanation(
    coalescing: Community, facilitator: User
) -> None:
    User.objects.filter(pk=facilitator.pk).update(language="nl")
    client = _client(facilitator)
    client.post(
        reverse("facilitation:playbook-tick", kwargs={"slug": coalescing.slug}), {"item": "energy"}
    )
    page = client.get(
        reverse("facilitation:playbook", kwargs={"slug": coalescing.slug}),
        headers={"accept-language": "nl"},
    ).content.decode()
    assert "Samensmelten (plakfase)" in page
    assert "1 van 5" in page or "1 of 5" in page


# --- the console's panel -----------------------------------------------------------------------


def test_the_panel_reads_in_two_queries_whatever_the_data(
    coalescing: Community, facilitator: User, django_assert_num_queries
) -> None:
    playbook_tick_toggle(community=coalescing, by=facilitator, item="charter")
    note_create(community=coalescing, author=facilitator, body="Eerste")
    note_create(community=coalescing, author=facilitator, body="Laatste **notitie**")
    viewer = User.objects.get(pk=facilitator.pk)
    with django_assert_num_queries(3):  # the access row, the ticks, the latest note
        context = act_context(viewer, coalescing)
        html = render_to_string("facilitation/_act_panel.html", context)
    for n in range(4):
        note_create(community=coalescing, author=facilitator, body=f"Meer {n}")
    playbook_tick_toggle(community=coalescing, by=facilitator, item="energy")
    with django_assert_num_queries(2):  # the access is read once per user object
        act_context(viewer, coalescing)
    panel = context["act"]
    assert panel.playbook.done_count == 1
    assert panel.playbook.total == 5
    assert panel.playbook.next_step.key == "hard_case"
    assert "Laatste" in html
    assert reverse("facilitation:seed", kwargs={"slug": coalescing.slug}) in html


def test_the_panel_invites_a_first_note(coalescing: Community, facilitator: User) -> None:
    html = render_to_string("facilitation/_act_panel.html", act_context(facilitator, coalescing))
    assert reverse("facilitation:notes", kwargs={"slug": coalescing.slug}) in html


def test_the_panel_is_empty_for_who_may_not_act(
    coalescing: Community, core_member: User, django_assert_num_queries
) -> None:
    core_member.refresh_from_db()
    from communities.permissions import access_of

    access_of(core_member)
    with django_assert_num_queries(0):
        context = act_context(core_member, coalescing)
    assert context == {"act": None}
    assert render_to_string("facilitation/_act_panel.html", context).strip() == ""


# --- the stage as members and sponsors see it --------------------------------------------------


@pytest.mark.parametrize(
    ("language", "plain", "theory"),
    [("nl", "Nieuwe community", "Samensmelten"), ("en", "New community", "Coalescing")],
)
def test_members_see_plain_stage_words_not_the_theory(
    coalescing: Community, member: User, language: str, plain: str, theory: str
) -> None:
    User.objects.filter(pk=member.pk).update(language=language)
    client = _client(member)
    for url in (coalescing.get_absolute_url(), reverse("communities:directory")):
        page = client.get(url, headers={"accept-language": language}).content.decode()
        assert plain in page, url
        assert theory not in page, url


def test_the_sponsor_dashboard_expects_no_realised_value_while_coalescing(
    coalescing: Community, facilitator: User
) -> None:
    url = reverse("value_cycles:dashboard", kwargs={"slug": coalescing.slug})
    client = _client(facilitator)
    assert "Not expected yet" in client.get(
        url, headers={"accept-language": "en"}
    ).content.decode() or ("Nog niet te verwachten" in client.get(url).content.decode())
    community_change_stage(community=coalescing, by=facilitator, stage="maturing")
    page = client.get(url).content.decode()
    assert "Not expected yet" not in page
    assert "Nog niet te verwachten" not in page


@pytest.mark.parametrize(
    "persona", ["member", "core_member", "sponsor", "outsider", "facilitator", "site_admin"]
)
def test_the_notes_queryset_answers_as_the_check(
    request: pytest.FixtureRequest, community: Community, facilitator: User, persona: str
) -> None:
    from facilitation.permissions import can_write_notes, notes_visible_to

    note = note_create(community=community, author=facilitator, body="Een")
    user = User.objects.get(pk=request.getfixturevalue(persona).pk)
    visible = set(notes_visible_to(user).values_list("pk", flat=True))
    assert visible == ({note.pk} if can_write_notes(user, community) else set())
    assert can_write_notes(user, community) is (persona in {"facilitator", "site_admin"})


def test_the_playbook_page_reads_in_fixed_queries(
    coalescing: Community, facilitator: User, django_assert_num_queries
) -> None:
    client = _client(facilitator)
    url = reverse("facilitation:playbook", kwargs={"slug": coalescing.slug})
    client.get(url)
    # session + user (with access) + community + ticks with who ticked them
    with django_assert_num_queries(4):
        client.get(url)
    for item in ("charter", "energy", "first_value"):
        playbook_tick_toggle(community=coalescing, by=facilitator, item=item)
    with django_assert_num_queries(4):
        client.get(url)
