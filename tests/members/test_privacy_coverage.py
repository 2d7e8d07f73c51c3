"""Every relation to the user model is either exported or registered as not personal,
and after an erasure nothing points at the person or holds their address or name.

When a new model with a relation to the user model fails here, the message names the
field and what to add: a `register_exporter(..., fields=[...])` covering it, or a
`register_not_personal(field, reason)`, in the app's `privacy.py` (see members/privacy.py).
"""

import io
import json
import re
import zipfile

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.sessions.models import Session
from django.db import models
from django.db.models import Q

from communities.models import Community
from communities.services.communities import community_update
from discussions.models import Attachment, Reply, Thread
from members.models import DataExport, PrivacyEvent, User
from members.privacy import exported_fields, exporters, not_personal_fields
from members.services import export_build, export_request, member_erase
from outbox.models import Message
from tests.members.privacy_world import (
    ATTACHMENT,
    MARKER_EMAIL,
    MARKER_NAME,
    PHOTO,
    build_world,
    signed_in,
)

# Plain number fields that hold a user's id without a foreign key (audit rows, ids kept
# across layers): they count as relations to the user model too.
USER_ID_NAME = re.compile(
    r"^(user|account|member|recipient|actor|author|owner|person)_id$|_user_id$"
)


PROJECT_APPS = {
    "members",
    "outbox",
    "communities",
    "discussions",
    "meetings",
    "value_cycles",
    "facilitation",
}


def _label(model: type[models.Model], field_name: str) -> str:
    return f"{model._meta.label}.{field_name}"


def user_relations() -> dict[str, str]:
    """Every field of every installed model that can point at a user -> its kind."""
    user_model = get_user_model()
    found: dict[str, str] = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, GenericForeignKey):
                found[_label(model, field.name)] = "GenericForeignKey (may point at a user)"
            elif field.is_relation and field.concrete and field.related_model is user_model:
                found[_label(model, field.name)] = type(field).__name__
            elif (
                model is user_model
                and field.many_to_many
                and field.concrete
                and getattr(field.remote_field.through._meta, "auto_created", False)
            ):
                found[_label(model, field.name)] = "ManyToManyField on the user"
            elif (
                isinstance(field, models.IntegerField)
                and not field.is_relation
                and USER_ID_NAME.search(field.name)
            ):
                found[_label(model, field.name)] = "user id without a foreign key"
    return found


def _advice(label: str, kind: str) -> str:
    app = apps.get_app_config(label.split(".", 1)[0]).name
    # Another package's model (allauth, Django's own): the members app speaks for it.
    module = f"{app}/privacy.py" if app in PROJECT_APPS - {"members"} else "members/exports.py"
    receivers = f"{app}/signals.py" if app in PROJECT_APPS else "members/services/privacy.py"
    return (
        f"{label} ({kind}) is neither exported nor registered as not personal. In {module} "
        f"(its register(), called from the AppConfig.ready(); an app without one copies "
        f"meetings/privacy.py and meetings/apps.py), either add '{label}' to the "
        f"fields of a register_exporter(...) call whose rows return the person's records "
        f"of it, or call register_not_personal('{label}', '<why it holds nothing "
        f"personal>'). If deleting the account (CASCADE / SET_NULL) does not erase what "
        f"it holds, handle members.signals.member_erased in {receivers}."
    )


def test_every_relation_to_the_user_model_is_exported_or_declared_not_personal() -> None:
    covered = exported_fields() | not_personal_fields()
    missing = [
        _advice(label, kind)
        for label, kind in sorted(user_relations().items())
        if label not in covered
    ]
    assert missing == [], "\n" + "\n".join(missing)


def test_no_field_is_registered_that_does_not_exist() -> None:
    relations = user_relations()
    stale = sorted(set(exported_fields()) | set(not_personal_fields()) - set(relations))
    stale = [label for label in stale if label not in relations]
    assert stale == [], f"registered in members.privacy but not a relation to the user: {stale}"


def test_no_field_is_both_exported_and_declared_not_personal() -> None:
    assert set(exported_fields()) & set(not_personal_fields()) == set()


def _export_zip(person: User, capture) -> zipfile.ZipFile:
    with capture(execute=True):
        export = export_request(user=person)
    export.refresh_from_db()
    assert export.state == DataExport.State.READY
    with export.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


@pytest.mark.django_db(transaction=False)
def test_the_export_holds_one_file_per_kind_and_every_record_that_points_at_the_person(
    site_admin: User, facilitator: User, community: Community, django_capture_on_commit_callbacks
) -> None:
    world = build_world(site_admin, facilitator, community)
    archive = _export_zip(world.person, django_capture_on_commit_callbacks)
    names = set(archive.namelist())
    assert {f"{e.name}.json" for e in exporters()} <= names
    parts = {e.name: json.loads(archive.read(f"{e.name}.json")) for e in exporters()}
    # Each exported field with a row pointing at the person shows in its part.
    by_field = exported_fields()
    for label, part in by_field.items():
        app_label, model_name, field_name = label.split(".")
        model = apps.get_model(app_label, model_name)
        field = model._meta.get_field(field_name)
        if field.many_to_many:
            continue  # the user's own groups and permissions: none here
        if model._default_manager.filter(**{field_name: world.person.pk}).exists():
            assert parts[part], f"{label} has rows for the person, but {part}.json is empty"
    account = parts["account"][0]
    assert account["email"] == MARKER_EMAIL
    assert account["expertise"] == ["wondzorg"]
    assert any(row.get("body") == "Mijn antwoord." for row in parts["posts"])
    # Consent records carry their time: email settings, value tiers.
    assert all(row["updated_at"] for row in parts["email_settings"])
    consents = [row for row in parts["value"] if row["record"] == "consent_change"]
    assert consents
    assert all(row["changed_at"] for row in consents)
    # Their files: the photo and the attachment, byte for byte.
    files = {name: archive.read(name) for name in names if "/" in name}
    assert PHOTO in files.values()
    assert ATTACHMENT in files.values()
    # Nothing of other people's text (the facilitator's reply to the person's thread).
    assert "Probeer dit." not in json.dumps(parts, ensure_ascii=False)


def _text_columns() -> list[tuple[type[models.Model], str]]:
    columns = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.JSONField):
                columns.append((model, field.name))
    return columns


def _rows_holding(text: str) -> list[str]:
    found = []
    for model, name in _text_columns():
        field = model._meta.get_field(name)
        lookup = {f"{name}__icontains": text} if not isinstance(field, models.JSONField) else None
        if lookup is None:
            # JSON: compare its text form.
            from django.db.models.functions import Cast

            rows = model._default_manager.annotate(_as_text=Cast(name, models.TextField())).filter(
                _as_text__icontains=text
            )
        else:
            rows = model._default_manager.filter(**lookup)
        if rows.exists():
            found.append(f"{model._meta.label}.{name}")
    return found


@pytest.mark.django_db
def test_after_erasure_nothing_points_at_the_person_or_holds_their_address_or_name(
    site_admin: User, facilitator: User, community: Community, django_capture_on_commit_callbacks
) -> None:
    world = build_world(site_admin, facilitator, community)
    person_id = world.person.pk
    client = signed_in(world.person)
    other = signed_in(facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        export_request(user=world.person)
    photo = world.person.avatar.name
    storage = world.person.avatar.storage
    assert Session.objects.exists()
    assert _rows_holding(MARKER_EMAIL)  # the positive control: the scan finds it before

    with django_capture_on_commit_callbacks(execute=True):
        member_erase(user=world.person, by=world.person)

    assert not User.objects.filter(pk=person_id).exists()
    not_personal = not_personal_fields()
    pointing = []
    for label in user_relations():
        app_label, model_name, field_name = label.split(".")
        model = apps.get_model(app_label, model_name)
        field = model._meta.get_field(field_name)
        if label in not_personal or isinstance(field, GenericForeignKey) or field.many_to_many:
            continue
        if label == "members.PrivacyEvent.account_id":
            continue  # the audit's number, naming nobody once the account is gone
        if model._default_manager.filter(**{field_name: person_id}).exists():
            pointing.append(label)
    assert pointing == []
    assert _rows_holding(MARKER_EMAIL) == []
    assert _rows_holding(MARKER_NAME) == []
    # Signed out everywhere (others stay signed in); the photo and the export's file go.
    assert Session.objects.count() == 1
    assert client.get("/account/").status_code == 302
    assert other.get("/account/").status_code == 200
    assert not storage.exists(photo)
    assert not DataExport.objects.exists()
    # Posts stay, as a former member's; nothing is left to email them.
    assert Thread.objects.get(pk=world.thread.pk).author_id is None
    assert Reply.objects.get(pk=world.reply.pk).body == "Mijn antwoord."
    assert not Message.objects.filter(Q(recipient_id=person_id)).exists()
    event = PrivacyEvent.objects.get(kind=PrivacyEvent.Kind.ERASED)
    assert event.account_id == person_id
    assert event.posts_removed is False


@pytest.mark.django_db
def test_erasure_removes_posts_only_where_the_community_allows_it(
    site_admin: User, facilitator: User, community: Community, django_capture_on_commit_callbacks
) -> None:
    world = build_world(site_admin, facilitator, community)
    community_update(community=community, by=facilitator, erasure_removes_posts=True)
    attachment = Attachment.objects.get(reply=world.reply)
    with django_capture_on_commit_callbacks(execute=True):
        member_erase(user=world.person, by=world.person, remove_posts=True)
    reply = Reply.objects.get(pk=world.reply.pk)
    assert reply.deleted_at is not None
    assert reply.body == ""
    thread = Thread.objects.get(pk=world.thread.pk)
    assert thread.deleted_at is not None
    assert (thread.title, thread.body) == ("", "")
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not attachment.file.storage.exists(attachment.file.name)
    # Other people's posts stay as they were, and the reply count follows.
    others = Thread.objects.get(pk=world.others_thread.pk)
    assert others.deleted_at is None
    assert others.reply_count == 0
    assert PrivacyEvent.objects.get(kind=PrivacyEvent.Kind.ERASED).posts_removed is True


@pytest.mark.django_db
def test_erasure_keeps_posts_where_the_community_does_not_allow_removal(
    site_admin: User, facilitator: User, community: Community
) -> None:
    world = build_world(site_admin, facilitator, community)
    member_erase(user=world.person, by=world.person, remove_posts=True)
    reply = Reply.objects.get(pk=world.reply.pk)
    assert (reply.deleted_at, reply.author_id, reply.body) == (None, None, "Mijn antwoord.")


@pytest.mark.django_db
def test_export_build_is_idempotent(
    site_admin: User, facilitator: User, community: Community, django_capture_on_commit_callbacks
) -> None:
    world = build_world(site_admin, facilitator, community)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        export = export_request(user=world.person)
    assert len(callbacks) == 1  # the build, enqueued on commit
    assert export_build(export_id=export.pk) == DataExport.State.READY
    assert export_build(export_id=export.pk) is None
    assert Message.objects.filter(recipient=world.person, kind="members.export_ready").count() == 1
