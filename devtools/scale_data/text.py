"""Synthetic Dutch and English text with a realistic vocabulary.

Real community text has a large vocabulary with a Zipf-like spread: a few words are in
many posts, most words in few. A text of forty words repeated over a million rows would
make every search match half the site, so the words here are derived from a base of
real domain words (inflections, diminutives, compounds: about 4,000 per language) and
drawn by rank with Zipf weights, between function words ("de", "the") drawn the same
way. Everything follows from the seed: the same seed, the same words in the same order.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate


def _words(text: str) -> list[str]:
    return text.split()


# Content words (not function words) by rank r get weight 1 / (r + offset) ** exponent
# (Zipf-Mandelbrot): the most common is in about one post in six, the hundredth in one in
# fifteen, the thousandth in one in three hundred and the rarest in a few hundred of a
# million posts.
ZIPF_EXPONENT = 2.0
ZIPF_OFFSET = 150.0
CONTENT_SHARE = 0.55  # of all words; the rest are function words ("de", "the")

NL_FUNCTION = _words(
    "de het een en van in is dat op te met voor die niet zijn we er ook om maar als bij aan "
    "je ik of naar hoe wat wordt kan dan nog door over wel deze dit heeft moet onze kunnen "
    "hebben meer al zo geen ons worden hun veel zij uit tot was nu hier daar waar wie graag "
    "echt even welke waarom"
)
EN_FUNCTION = _words(
    "the of and to a in is that for on with we it this are be as you our at can have by "
    "from or not but how what an was do more about they their which all will there if "
    "so has been would also when who just some any into than then very should could why "
    "where them does"
)

NL_NOUNS = _words(
    "kennis vraag antwoord ervaring project zorg organisatie collega samenwerking praktijk "
    "verhaal tip netwerk bijeenkomst facilitator lid werkwijze cliënt wijk gemeente "
    "verzekeraar schade expert oplossing aanpak resultaat planning overleg evaluatie privacy "
    "team ambassadeur vertrouwen afspraak onderwerp webinar intervisie casus methode beleid "
    "budget subsidie regeling wet richtlijn protocol dossier rapport verslag agenda "
    "presentatie workshop training cursus opleiding coach mentor begeleiding ondersteuning "
    "hulp zorgverlener huisarts verpleegkundige mantelzorger vrijwilliger bewoner buurt "
    "inwoner patiënt klant burger medewerker manager directeur bestuur raad wethouder "
    "ambtenaar afdeling locatie instelling ziekenhuis apotheek school leerling docent ouder "
    "kind jongere oudere gezin woning contract factuur declaratie kosten financiering "
    "begroting tarief premie polis claim melding incident risico veiligheid kwaliteit "
    "toezicht controle inspectie norm standaard indicator meting dashboard rapportage "
    "gegevens informatie bron systeem applicatie software platform website portaal account "
    "wachtwoord koppeling scherm formulier document bestand archief versie storing probleem "
    "fout oorzaak gevolg effect doel visie missie strategie plan fase stap mijlpaal deadline "
    "week maand jaar kwartaal ochtend middag avond sessie ronde pilot experiment proef test "
    "onderzoek enquête interview gesprek dialoog discussie reactie idee voorstel advies "
    "conclusie besluit keuze prioriteit belang waarde kracht kans uitdaging knelpunt "
    "verbetering innovatie verandering transitie ontwikkeling groei inzicht les patroon "
    "trend voorbeeld model kader structuur rol taak verantwoordelijkheid mandaat regie "
    "coördinatie communicatie nieuwsbrief bericht telefoon video vergadering ontmoeting "
    "lunch congres symposium excursie bezoek wijkteam jeugdzorg schuldhulp woningcorporatie "
    "huurder eenzaamheid armoede dementie revalidatie thuiszorg wachtlijst indicatie "
    "zorgplan triage spreekuur"
)
NL_VERBS = _words(  # infinitive, stem, past participle
    "delen deel gedeeld leren leer geleerd werken werk gewerkt helpen help geholpen "
    "vragen vraag gevraagd zoeken zoek gezocht vinden vind gevonden maken maak gemaakt "
    "bouwen bouw gebouwd testen test getest meten meet gemeten plannen plan gepland "
    "regelen regel geregeld bespreken bespreek besproken organiseren organiseer "
    "georganiseerd verbeteren verbeter verbeterd ondersteunen ondersteun ondersteund "
    "begeleiden begeleid begeleid adviseren adviseer geadviseerd evalueren evalueer "
    "geëvalueerd ontwikkelen ontwikkel ontwikkeld samenwerken werk samengewerkt "
    "uitleggen leg uitgelegd aanvragen vraag aangevraagd invullen vul ingevuld "
    "melden meld gemeld betalen betaal betaald bellen bel gebeld schrijven schrijf "
    "geschreven lezen lees gelezen kiezen kies gekozen beslissen beslis beslist "
    "verwijzen verwijs verwezen"
)
NL_ADJECTIVES = _words(
    "digitaal goed nieuw snel lastig belangrijk duidelijk praktisch lokaal regionaal "
    "landelijk sociaal medisch financieel juridisch veilig open eerlijk complex eenvoudig "
    "handig nuttig concreet actueel kwetsbaar zelfstandig efficiënt persoonlijk"
)
NL_HEADS = _words(  # the last part of compounds: zorg|team, kennis|netwerk
    "plan team overleg netwerk proces traject aanpak vraag budget beleid rapport gesprek "
    "sessie groep avond dag partner coach adviseur coördinator loket punt verslag model "
    "kader agenda platform project medewerker regeling dossier protocol kaart tafel "
    "lijst systeem werker centrum overzicht signaal huis week kring"
)
NL_MODIFIERS = _words(  # the first part of compounds
    "zorg kennis wijk team project klant data werk leer praktijk netwerk beleids "
    "veiligheids kwaliteits informatie communicatie samenwerkings verander innovatie "
    "onderzoeks budget privacy cliënt burger buurt gemeente school ouder jeugd huisarts "
    "welzijns schade ketens thuis mantelzorg vrijwilligers bewoners leer dementie "
    "armoede schuld"
)

EN_NOUNS = _words(
    "community knowledge question answer experience project care organisation colleague "
    "collaboration practice story tip network meeting facilitator member implementation "
    "approach client neighbourhood council insurer damage expert solution result planning "
    "review evaluation privacy team ambassador trust agreement topic webinar peer case "
    "method accessibility performance policy budget grant regulation law guideline "
    "protocol file report minutes agenda presentation workshop training course coach "
    "mentor guidance support help provider doctor nurse carer volunteer resident "
    "citizen customer patient employee manager director board official department "
    "location institution hospital pharmacy school student teacher parent child youth "
    "family housing contract invoice claim cost funding tariff premium incident risk "
    "safety quality oversight audit inspection standard indicator measurement dashboard "
    "data information source system application software platform website portal account "
    "password integration screen form document archive version outage problem error cause "
    "effect goal vision mission strategy plan phase step milestone deadline week month "
    "year quarter morning afternoon evening session round pilot experiment trial test "
    "research survey interview conversation dialogue discussion reaction idea proposal "
    "advice conclusion decision choice priority interest value strength opportunity "
    "challenge bottleneck improvement innovation change transition development growth "
    "insight lesson pattern trend example model framework structure role task "
    "responsibility mandate coordination communication newsletter message phone video "
    "lunch conference symposium visit loneliness poverty dementia rehabilitation waitlist "
    "referral triage consultation caseload workflow roadmap stakeholder"
)
EN_VERBS = _words(
    "share learn work help ask search find make build test measure plan arrange discuss "
    "organise improve support guide advise evaluate develop explain apply fill report pay "
    "call write read choose decide refer connect onboard train visit meet publish review "
    "update"
)
EN_ADJECTIVES = _words(
    "digital good new fast difficult important clear practical local regional national "
    "social medical financial legal safe open fair complex simple handy useful concrete "
    "current vulnerable independent efficient personal"
)
EN_PREFIXES = _words("re co pre self cross multi inter sub over under non post out")
EN_MODIFIERS = _words("case care team data work health client peer help time key road home self")
EN_HEADS = _words(
    "work flow load book base line point room group desk site map plan team set lead worker "
    "note list card"
)
EN_SUFFIXES = ("ness", "ship", "ment", "ful", "less", "able")


_NL_IRREGULAR = {
    "huis": "huizen",
    "dag": "dagen",
    "lid": "leden",
    "kind": "kinderen",
    "model": "modellen",
    "protocol": "protocollen",
    "centrum": "centra",
    "verslag": "verslagen",
    "idee": "ideeën",
    "advies": "adviezen",
    "voorstel": "voorstellen",
}
# Loan words take -s.
_NL_LOANS = set(
    _words(
        "tip pilot account dashboard webinar workshop interview expert coach lunch claim team "
        "trend dossier"
    )
)


def _dutch_plural(noun: str) -> str:
    if noun in _NL_IRREGULAR:
        return _NL_IRREGULAR[noun]
    if noun in _NL_LOANS:
        return noun + ("es" if noun.endswith("ch") else "s")
    if noun.endswith("heid"):
        return noun[:-4] + "heden"
    if noun.endswith("huis"):
        return noun[:-1] + "zen"
    if noun.endswith(("e", "el", "er", "em", "je", "or", "eur", "ie")) and not noun.endswith(
        ("eem", "ier")
    ):
        return noun + "s"
    if noun[-1] in "aiouy":
        return noun + "'s"
    return _dutch_open(noun, "en")


def _dutch_open(word: str, ending: str) -> str:
    """The word with an ending that opens its last syllable ("-en", "-e")."""
    if re.search(r"(aa|ee|oo|uu)[bdfgklmnprst]$", word):
        word = word[:-2] + word[-1]  # resultaat -> resultaten
    elif re.search(r"[^aeiou][aeiou][bdfgklmnprst]$", word) and not word.endswith("ig"):
        word += word[-1]  # stap -> stappen (but handig -> handige)
    if word.endswith("f"):
        word = word[:-1] + "v"  # brief -> brieven
    return word + ending


def _dutch_adjective(adjective: str) -> str:
    return adjective if adjective.endswith("en") else _dutch_open(adjective, "e")


def _dutch_diminutive(noun: str) -> str:
    if noun[-1] in "aeiouy" or noun.endswith(("l", "n", "r", "w")):
        return noun + "tje"
    if noun.endswith("m"):
        return noun + "pje"
    return noun + "je"


def _english_plural(noun: str) -> str:
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def _english_adverb(adjective: str) -> str:
    if adjective.endswith("le"):
        return adjective[:-1] + "y"  # simple -> simply
    if adjective.endswith("y"):
        return adjective[:-1] + "ily"
    return adjective + "ly"


def _english_degrees(adjective: str) -> list[str]:
    stem = adjective[:-1] + "i" if adjective.endswith("y") else adjective
    if adjective.endswith("e"):
        return [stem + "r", stem + "st", stem + "ness"]
    return [stem + "er", stem + "est", stem + "ness"]


def _english_verb_forms(verb: str) -> list[str]:
    base = verb[:-1] if verb.endswith("e") else verb
    past = verb + "d" if verb.endswith("e") else base + "ed"
    return [verb, _english_plural(verb), past, base + "ing", base + "er"]


def _ordered(rng: random.Random, tiers: Sequence[Sequence[str]]) -> list[str]:
    """Distinct words by rank: base words before their inflections before compounds,
    each tier overlapping the next, as in real text."""
    keyed: dict[str, float] = {}
    for tier, words in enumerate(tiers):
        for word in words:
            keyed.setdefault(word, tier + 2 * rng.random())
    return sorted(keyed, key=lambda word: (keyed[word], word))


def dutch_words(rng: random.Random) -> list[str]:
    verbs = [NL_VERBS[i : i + 3] for i in range(0, len(NL_VERBS), 3)]
    pairs = [(m, h) for m in NL_MODIFIERS for h in NL_HEADS if not m.startswith(h)]
    compounds = [m + h for m, h in pairs]
    diminutives = [_dutch_diminutive(n) for n in NL_NOUNS]
    return _ordered(
        rng,
        [
            NL_NOUNS + [v[0] for v in verbs] + NL_ADJECTIVES,
            [_dutch_plural(n) for n in NL_NOUNS] + [f for v in verbs for f in v[1:]],
            [_dutch_adjective(a) for a in NL_ADJECTIVES]
            + [v[1] + "t" for v in verbs]
            + diminutives,
            compounds + [d + "s" for d in diminutives],
            [m + _dutch_plural(h) for m, h in pairs],
        ],
    )


def english_words(rng: random.Random) -> list[str]:
    compounds = [m + h for m in EN_MODIFIERS for h in EN_HEADS if m != h]
    prefixed_verbs = [p + v for p in EN_PREFIXES for v in EN_VERBS]
    return _ordered(
        rng,
        [
            EN_NOUNS + EN_VERBS + EN_ADJECTIVES,
            [_english_plural(n) for n in EN_NOUNS]
            + [f for v in EN_VERBS for f in _english_verb_forms(v)[1:]],
            [_english_adverb(a) for a in EN_ADJECTIVES]
            + [
                f
                for a in _words("new fast clear safe fair simple handy")
                for f in _english_degrees(a)
            ]
            + [n + s for n in EN_NOUNS[::3] for s in EN_SUFFIXES],
            compounds + prefixed_verbs + [p + n for p in EN_PREFIXES for n in EN_NOUNS[::4]],
            [_english_plural(c) for c in compounds]
            + [f for v in prefixed_verbs for f in _english_verb_forms(v)[2:4]],
        ],
    )


@dataclass(frozen=True)
class _Ranked:
    words: tuple[str, ...]
    cum_weights: tuple[float, ...]

    @classmethod
    def zipf(cls, words: Sequence[str], exponent: float, offset: float) -> _Ranked:
        weights = (1 / (rank + offset) ** exponent for rank in range(1, len(words) + 1))
        return cls(tuple(words), tuple(accumulate(weights)))

    def draw(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cum_weights, k=count)


@dataclass(frozen=True)
class Vocabulary:
    """One language's function words and content words, each by rank with Zipf weights."""

    function: _Ranked
    content: _Ranked

    @classmethod
    def build(cls, function_words: Sequence[str], content_words: Sequence[str]) -> Vocabulary:
        content = [word for word in dict.fromkeys(content_words) if word not in function_words]
        return cls(
            _Ranked.zipf(function_words, 1.0, 1.0),
            _Ranked.zipf(content, ZIPF_EXPONENT, ZIPF_OFFSET),
        )

    @property
    def words(self) -> tuple[str, ...]:
        return self.function.words + self.content.words

    def sentence(self, rng: random.Random, length: int, end: str = ".") -> str:
        function = self.function.draw(rng, length)
        content = self.content.draw(rng, length)
        words = [content[i] if rng.random() < CONTENT_SHARE else function[i] for i in range(length)]
        return " ".join(words).capitalize() + end

    def body(self, rng: random.Random) -> str:
        """One to three paragraphs of one to four sentences: a forum post's length."""
        paragraphs = [
            " ".join(self.sentence(rng, rng.randint(6, 18)) for _ in range(rng.randint(1, 4)))
            for _ in range(rng.choice((1, 1, 2, 2, 3)))
        ]
        return "\n\n".join(paragraphs)


def vocabularies(seed: int) -> dict[str, Vocabulary]:
    """The Dutch ("nl") and English ("en") vocabularies for this seed."""
    rng = random.Random(f"scale-vocabulary-{seed}")  # noqa: S311 - synthetic text
    return {
        "nl": Vocabulary.build(NL_FUNCTION, dutch_words(rng)),
        "en": Vocabulary.build(EN_FUNCTION, english_words(rng)),
    }
