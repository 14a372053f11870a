"""The declared page language is trusted, without langdetect, only when its function words
clearly fill the article's opening; otherwise the text is detected as before."""

from __future__ import annotations

import pytest

import sourcelight.extract.language as language
from sourcelight.extract.language import declaration_fits, detect_language
from sourcelight.settings import Settings

SETTINGS = Settings()
ENGLISH = ("The council voted on Tuesday to expand the bus network, and the mayor said that the "
           "new routes would be paid for by the regional fund. It is the first expansion of the "
           "network in a decade, and residents of the eastern suburbs have waited for it for years.")
GERMAN = ("Der Stadtrat hat am Dienstag beschlossen, das Busnetz auszubauen, und die "
          "Bürgermeisterin sagte, dass die neuen Linien aus dem regionalen Fonds bezahlt werden. "
          "Es ist die erste Erweiterung des Netzes seit zehn Jahren, und die Bewohner der "
          "östlichen Vororte haben lange darauf gewartet.")
PORTUGUESE = ("A câmara municipal votou na terça-feira a expansão da rede de autocarros, e a "
              "presidente disse que as novas linhas serão pagas pelo fundo regional. É a primeira "
              "expansão da rede em uma década, e os moradores dos subúrbios esperam por ela há anos.")


@pytest.fixture
def no_langdetect(monkeypatch):
    """Make any use of langdetect fail the test."""
    def refuse(seed):
        raise AssertionError("langdetect ran although the declaration fits")
    monkeypatch.setattr(language, "_factory", refuse)


def test_a_fitting_declaration_is_taken_without_langdetect(no_langdetect):
    notes: list[str] = []
    assert detect_language(ENGLISH, "en", SETTINGS, notes) == "en"
    assert detect_language(GERMAN, "de", SETTINGS, notes) == "de"
    assert notes == []


@pytest.mark.parametrize("text, declared, detected", [
    (GERMAN, "en", "de"),  # a German story in an English template
    (ENGLISH, "de", "en"),
    (PORTUGUESE, "es", "pt"),  # a near neighbour's words are not enough
    (ENGLISH, "ja", "en"),  # no word list: always detected
])
def test_an_implausible_declaration_is_checked_by_langdetect(text, declared, detected):
    assert not declaration_fits(text, declared)
    assert detect_language(text, declared, SETTINGS, []) == detected


def test_too_little_text_is_never_taken_on_trust():
    assert not declaration_fits("The mayor said that the bus is late.", "en")
