"""Profiles: field visibility rules, the profile services, avatar checking and the
own-profile edit page."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import ExifTags, Image

from members.images import AVATAR_SIZE, MAX_UPLOAD_BYTES, avatar_render
from members.models import Organization, User
from members.permissions import (
    PROFILE_FIELDS,
    FieldVisibility,
    can_see_profile_field,
    profile_field_visible_q,
    visible_profile_fields,
)
from members.selectors import tag_names
from members.services import organization_get_or_create
from tests.factories import OrganizationFactory, UserFactory, set_profile

pytestmark = pytest.mark.django_db

PRIVATE = FieldVisibility.PRIVATE.value
SIGNED_IN = FieldVisibility.SIGNED_IN.value
SHARED = FieldVisibility.SHARED.value


def image_bytes(
    size: tuple[int, int] = (64, 48),
    image_format: str = "PNG",
    *,
    mode: str = "RGB",
    gps: bool = False,
) -> bytes:
    image = Image.new(mode, size, "red" if mode != "1" else 0)
    buffer = io.BytesIO()
    options: dict[str, object] = {}
    if gps:
        exif = Image.Exif()
        exif[ExifTags.Base.Make] = "PhoneCo"
        gps_ifd = exif.get_ifd(ExifTags.IFD.GPSInfo)
        gps_ifd[ExifTags.GPS.GPSLatitudeRef] = "N"
        gps_ifd[ExifTags.GPS.GPSLatitude] = (52.0, 22.0, 12.0)
        gps_ifd[ExifTags.GPS.GPSLongitudeRef] = "E"
        gps_ifd[ExifTags.GPS.GPSLongitude] = (4.0, 53.0, 24.0)
        options["exif"] = exif
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def upload(data: bytes, name: str = "me.png", content_type: str = "image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


# --- Field visibility rules -------------------------------------------------------


def test_a_field_without_a_choice_is_visible_to_people_who_share_a_community() -> None:
    person, viewer = UserFactory(job_title="Verpleegkundige"), UserFactory()
    assert can_see_profile_field(person, viewer, "job_title", shares_community=True)


def test_a_field_shared_with_communities_is_hidden_from_people_who_share_none() -> None:
    person, viewer = UserFactory(), UserFactory()
    assert not can_see_profile_field(person, viewer, "job_title", shares_community=False)


def test_a_field_for_everyone_signed_in_needs_no_shared_community() -> None:
    person, viewer = UserFactory(field_visibility={"bio": SIGNED_IN}), UserFactory()
    assert can_see_profile_field(person, viewer, "bio", shares_community=False)


def test_a_private_field_is_hidden_even_from_people_who_share_a_community() -> None:
    person, viewer = UserFactory(field_visibility={"bio": PRIVATE}), UserFactory()
    assert not can_see_profile_field(person, viewer, "bio", shares_community=True)


def test_the_person_sees_all_their_own_fields() -> None:
    person = UserFactory(field_visibility=dict.fromkeys(PROFILE_FIELDS, PRIVATE))
    assert visible_profile_fields(person, person, shares_community=False) == set(PROFILE_FIELDS)


def test_site_admins_see_private_fields() -> None:
    person = UserFactory(field_visibility=dict.fromkeys(PROFILE_FIELDS, PRIVATE))
    admin = UserFactory(is_staff=True)
    assert visible_profile_fields(person, admin, shares_community=False) == set(PROFILE_FIELDS)


def test_an_unknown_stored_level_fails_closed() -> None:
    person, viewer = UserFactory(field_visibility={"bio": "everyone!"}), UserFactory()
    assert not can_see_profile_field(person, viewer, "bio", shares_community=True)


@pytest.mark.parametrize("level", [None, SHARED, SIGNED_IN, PRIVATE, "bogus"])
@pytest.mark.parametrize("shares", [True, False])
def test_the_database_rule_agrees_with_the_python_rule(level: str | None, shares: bool) -> None:
    person = UserFactory(field_visibility={} if level is None else {"expertise": level})
    viewer = UserFactory()
    in_database = (
        User.objects.filter(pk=person.pk)
        .filter(profile_field_visible_q("expertise", viewer, shares_community=shares))
        .exists()
    )
    assert in_database == can_see_profile_field(
        person, viewer, "expertise", shares_community=shares
    )


# --- Services -----------------------------------------------------------------------


def test_an_organisation_typed_in_another_case_is_the_existing_one() -> None:
    existing = OrganizationFactory(name="GGD Amsterdam")
    assert organization_get_or_create(name="  ggd   amsterdam ") == existing


def test_a_new_organisation_is_added_with_its_kind() -> None:
    added = organization_get_or_create(name="Zorggroep Oost", kind=Organization.Kind.HEALTHCARE)
    assert (added.name, added.kind) == ("Zorggroep Oost", Organization.Kind.HEALTHCARE)


def test_tags_reuse_existing_ones_whatever_the_case() -> None:
    first, second = UserFactory(), UserFactory()
    set_profile(first, expertise=["Privacy"])
    set_profile(second, expertise=["privacy", "PRIVACY"])
    assert tag_names(second.expertise) == ["Privacy"]


def test_expertise_and_interests_are_separate_tag_sets() -> None:
    person = set_profile(UserFactory(), expertise=["FHIR"], interests=["Wondzorg"])
    assert (tag_names(person.expertise), tag_names(person.interests)) == (["FHIR"], ["Wondzorg"])


def test_visibility_choices_are_stored_per_field() -> None:
    person = set_profile(UserFactory(), visibility={"bio": PRIVATE, "avatar": SIGNED_IN})
    person.refresh_from_db()
    assert person.field_visibility == {"bio": PRIVATE, "avatar": SIGNED_IN}


def test_an_unknown_visibility_level_is_refused() -> None:
    with pytest.raises(ValueError):
        set_profile(UserFactory(), visibility={"bio": "world"})


# --- Avatars ------------------------------------------------------------------------


def test_a_photo_with_gps_exif_is_reencoded_without_any_exif() -> None:
    original = image_bytes(gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    rendered = Image.open(io.BytesIO(avatar_render(upload(original)).content))

    assert rendered.format == "JPEG"
    assert len(rendered.getexif()) == 0
    assert "exif" not in rendered.info


def test_a_photo_is_cover_cropped_to_a_square() -> None:
    rendered = avatar_render(upload(image_bytes(size=(900, 300))))
    assert Image.open(io.BytesIO(rendered.content)).size == (AVATAR_SIZE, AVATAR_SIZE)


@pytest.mark.parametrize("image_format", ["JPEG", "WEBP", "GIF"])
def test_jpeg_webp_and_gif_photos_are_accepted(image_format: str) -> None:
    rendered = avatar_render(upload(image_bytes(image_format=image_format)))
    assert Image.open(io.BytesIO(rendered.content)).format == "JPEG"


def test_a_transparent_png_is_flattened_onto_white() -> None:
    rendered = avatar_render(upload(image_bytes(mode="RGBA")))
    assert Image.open(io.BytesIO(rendered.content)).mode == "RGB"


def test_a_text_file_named_png_is_refused() -> None:
    with pytest.raises(ValidationError) as refusal:
        avatar_render(upload(b"<html><script>alert(1)</script></html>", name="me.png"))
    assert refusal.value.code == "invalid_image"


def test_an_image_format_outside_the_list_is_refused() -> None:
    with pytest.raises(ValidationError) as refusal:
        avatar_render(upload(image_bytes(image_format="BMP"), name="me.png"))
    assert refusal.value.code == "invalid_image"


def test_a_truncated_image_is_refused() -> None:
    data = image_bytes(size=(200, 200), image_format="JPEG")
    with pytest.raises(ValidationError):
        avatar_render(upload(data[: len(data) // 2], name="me.jpg"))


def test_an_upload_over_five_megabytes_is_refused() -> None:
    with pytest.raises(ValidationError) as refusal:
        avatar_render(upload(image_bytes() + b"\0" * MAX_UPLOAD_BYTES))
    assert refusal.value.code == "file_too_large"


def test_an_image_over_the_pixel_cap_is_refused() -> None:
    # A 1-bit all-black PNG compresses to a few kilobytes: a decompression bomb.
    data = image_bytes(size=(8000, 5001), mode="1")
    assert len(data) < MAX_UPLOAD_BYTES
    with pytest.raises(ValidationError) as refusal:
        avatar_render(upload(data))
    assert refusal.value.code == "too_many_pixels"


# --- The edit page ------------------------------------------------------------------


def test_the_profile_page_needs_a_login(client: Client) -> None:
    response = client.get("/account/profile/")
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_every_field_on_the_profile_page_has_a_label(client: Client) -> None:
    person = UserFactory()
    client.force_login(person)
    response = client.get("/account/profile/")
    html = response.content.decode()
    shown = [
        f for f in response.context["form"].visible_fields() if f'id="{f.id_for_label}"' in html
    ]
    assert len(shown) >= 14
    for field in shown:
        assert f'for="{field.id_for_label}"' in html


def _post_profile(client: Client, **changes: object):
    data: dict[str, object] = {
        "display_name": "Ria Roos",
        "organization": "",
        "new_organization": "",
        "new_organization_kind": "other",
        "job_title": "",
        "bio": "",
        "expertise": "",
        "interests": "",
        **{f"visibility_{name}": SHARED for name in PROFILE_FIELDS},
    }
    data.update(changes)
    return client.post("/account/profile/", data)


def test_saving_the_profile_stores_fields_tags_and_visibility(client: Client) -> None:
    person = UserFactory()
    client.force_login(person)
    response = _post_profile(
        client,
        job_title="Wijkverpleegkundige",
        bio="Ik werk in Utrecht-Oost.",
        expertise="wondzorg, project management",
        interests="e-health",
        visibility_bio=PRIVATE,
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.job_title == "Wijkverpleegkundige"
    assert tag_names(person.expertise) == ["project management", "wondzorg"]
    assert tag_names(person.interests) == ["e-health"]
    assert person.field_visibility["bio"] == PRIVATE


def test_choosing_an_existing_organisation_sets_it(client: Client) -> None:
    person, organization = (
        UserFactory(),
        OrganizationFactory(name="Gemeente Utrecht", is_listed=True),
    )
    client.force_login(person)
    _post_profile(client, organization=organization.pk)
    person.refresh_from_db()
    assert person.organization == organization


def test_typing_an_existing_organisation_name_reuses_it(client: Client) -> None:
    person, organization = UserFactory(), OrganizationFactory(name="Gemeente Utrecht")
    client.force_login(person)
    _post_profile(client, new_organization="gemeente utrecht")
    person.refresh_from_db()
    assert person.organization == organization


def test_typing_a_new_organisation_name_adds_it(client: Client) -> None:
    person = UserFactory()
    client.force_login(person)
    _post_profile(client, new_organization="Buurtzorg Noord", new_organization_kind="healthcare")
    person.refresh_from_db()
    assert (person.organization.name, person.organization.kind) == ("Buurtzorg Noord", "healthcare")


def test_an_about_me_text_over_1000_characters_is_refused(client: Client) -> None:
    person = UserFactory()
    client.force_login(person)
    response = _post_profile(client, bio="x" * 1001)
    assert response.status_code == 200
    assert "bio" in response.context["form"].errors


def test_more_than_twenty_tags_are_refused(client: Client) -> None:
    person = UserFactory()
    client.force_login(person)
    response = _post_profile(client, expertise=", ".join(f"t{i}" for i in range(21)))
    assert "expertise" in response.context["form"].errors


def test_an_uploaded_photo_is_stored_under_a_random_name(client: Client) -> None:
    person = UserFactory()
    client.force_login(person)
    _post_profile(client, avatar=upload(image_bytes(), name="ria-roos-thuisadres.png"))
    person.refresh_from_db()
    assert person.avatar.name.startswith("avatars/")
    assert person.avatar.name.endswith(".jpg")
    assert "ria" not in person.avatar.name
    assert default_storage.exists(person.avatar.name)


def test_a_text_file_posing_as_a_photo_is_refused_on_the_page(client: Client) -> None:
    person = UserFactory()
    client.force_login(person)
    response = _post_profile(client, avatar=upload(b"not an image", name="me.png"))
    assert "avatar" in response.context["form"].errors
    person.refresh_from_db()
    assert not person.avatar


def test_a_new_photo_replaces_the_old_file(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    person = UserFactory()
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        _post_profile(client, avatar=upload(image_bytes()))
    person.refresh_from_db()
    old = person.avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        _post_profile(client, avatar=upload(image_bytes(image_format="GIF"), name="b.gif"))
    person.refresh_from_db()
    assert person.avatar.name != old
    assert not default_storage.exists(old)


def test_removing_the_photo_clears_it(client: Client, django_capture_on_commit_callbacks) -> None:
    person = UserFactory()
    client.force_login(person)
    _post_profile(client, avatar=upload(image_bytes()))
    person.refresh_from_db()
    old = person.avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        _post_profile(client, remove_avatar="on")
    person.refresh_from_db()
    assert not person.avatar
    assert not default_storage.exists(old)


def test_your_own_photo_is_served_as_a_private_jpeg(client: Client) -> None:
    person = UserFactory()
    client.force_login(person)
    _post_profile(client, avatar=upload(image_bytes()))
    response = client.get("/account/profile/photo/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


def test_without_a_photo_your_photo_address_is_404(client: Client) -> None:
    client.force_login(UserFactory())
    assert client.get("/account/profile/photo/").status_code == 404


def test_an_empty_post_shows_errors_instead_of_saving(client: Client) -> None:
    person = UserFactory(display_name="Ria Roos")
    client.force_login(person)
    response = client.post("/account/profile/", {})
    assert response.status_code == 200
    assert "display_name" in response.context["form"].errors
