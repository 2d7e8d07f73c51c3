"""Dutch and English everywhere: both catalogues complete, compiled, and up to date."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.test import Client

BASE_DIR = Path(__file__).resolve().parents[2]
LANGUAGES = ["nl", "en"]
SOURCE_DIRS = [
    "cop_platform",
    "members",
    "outbox",
    "communities",
    "discussions",
    "meetings",
    "value_cycles",
    "facilitation",
    "devtools",
    "templates",
    "locale",
]


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"))


def _untranslated(po: polib.POFile) -> list[str]:
    return [e.msgid for e in po if not e.obsolete and (not e.translated() or e.fuzzy)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete(language: str) -> None:
    assert _untranslated(_catalogue(language)) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_source(language: str) -> None:
    po = _catalogue(language)
    mo = polib.mofile(str(BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.mo"))
    translated = {
        (e.msgid, e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in po.translated_entries()
    }
    compiled = {(e.msgid, e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo}
    assert translated <= compiled, "run `make messages` to recompile the catalogues"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs gettext's xgettext")
def test_every_string_in_the_code_is_in_the_catalogues(tmp_path: Path) -> None:
    # Extract into a copy, so the working tree is never touched by a test.
    for name in [*SOURCE_DIRS, "manage.py", "tests"]:
        source = BASE_DIR / name
        if source.is_dir():
            shutil.copytree(
                source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "browser")
            )
        else:
            shutil.copy(source, tmp_path / name)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "nl",
            "-l",
            "en",
            "--ignore=tests",
            "--no-obsolete",
        ],
        cwd=tmp_path,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        check=True,
        capture_output=True,
    )
    for language in LANGUAGES:
        po = polib.pofile(str(tmp_path / "locale" / language / "LC_MESSAGES" / "django.po"))
        assert _untranslated(po) == [], "new strings: run `make messages` and translate them"


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "text"), [("nl", "Inloggen"), ("en", "Log in")])
def test_pages_speak_the_chosen_language(client: Client, language: str, text: str) -> None:
    client.post("/account/language/", {"language": language, "next": "/"})
    response = client.get("/")
    assert response["Content-Language"] == language
    assert f'<html lang="{language}">' in response.content.decode()
    assert text in response.content.decode()
