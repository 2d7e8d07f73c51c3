"""Demo data drawn from the domain texts: communities of practice across competing
organisations, in Dutch and English. Loaded by `manage.py load_demo_data` (make run).

Lives in the development app because it seeds every app. Everything goes through the
services, so demo data obeys the same rules as real use.

This module writes the people, organisations, communities and discussions; every other
feature adds its own rows through a hook: a function

    def load_demo(personas: dict[str, User], communities: dict[str, Community]) -> None

in a module of its app (e.g. `meetings/demo.py`), given the demo users by persona key
("admin", "fenna", "mira", ...) and the demo communities by slug. It writes through
services, inside the loader's transaction, and must change nothing when its rows are
already there (the loader runs at every `make run`). Wiring one in is one line in
DEMO_HOOKS below, its dotted path; hooks run in that order, after the discussions.
"""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.module_loading import import_string

from communities.models import Community, Membership
from communities.services.communities import community_create
from communities.services.memberships import membership_accept_charter, membership_grant
from discussions.models import Reply, Thread
from discussions.services.posts import reply_create, thread_create
from members.models import Organization, User

DEMO_DOMAIN = "example.org"

# Each feature's `load_demo(personas, communities)`, by dotted path (see above).
DEMO_HOOKS: tuple[str, ...] = (
    "meetings.demo_data.load_demo",
    "value_cycles.demo_data.load_demo",
    "facilitation.demo_act.load_demo",
    "cop_platform.demo_email.load_demo",
    "facilitation.demo_data.load_demo",
    "communities.demo_data.load_demo",
)


@dataclass(frozen=True)
class Persona:
    key: str
    name: str
    role_note: str
    organization: str
    language: str = "nl"
    is_admin: bool = False

    @property
    def email(self) -> str:
        return f"{self.key}@{DEMO_DOMAIN}"


ORGANIZATIONS = [
    ("Zorggroep Midden", Organization.Kind.HEALTHCARE),
    ("GGD Regio Oost", Organization.Kind.PUBLIC),
    ("Gemeente Lindendaal", Organization.Kind.PUBLIC),
    ("Veilig Verzekerd NV", Organization.Kind.COMPANY),
    ("Polis & Partners", Organization.Kind.COMPANY),
    ("Kennisnetwerk Zorg", Organization.Kind.NONPROFIT),
    ("Pixelwerf agency", Organization.Kind.COMPANY),
]

PERSONAS = [
    Persona("admin", "Ada Beheer", "site admin", "Kennisnetwerk Zorg", is_admin=True),
    Persona("fenna", "Fenna de Vries", "facilitator (e-health, aanjagers)", "Kennisnetwerk Zorg"),
    Persona("sander", "Sander Bakker", "sponsor (e-health)", "Zorggroep Midden"),
    Persona("mira", "Mira Jansen", "member (e-health), core member (aanjagers)", "GGD Regio Oost"),
    Persona("kees", "Kees Visser", "facilitator (damage experts)", "Veilig Verzekerd NV"),
    Persona("ilse", "Ilse Mulder", "member (damage experts)", "Polis & Partners"),
    Persona(
        "olivia",
        "Olivia Brown",
        "member (web developers, e-health)",
        "Pixelwerf agency",
        language="en",
    ),
    Persona(
        "ravi", "Ravi Kumar", "facilitator (web developers)", "Pixelwerf agency", language="en"
    ),
]

COMMUNITIES: list[dict[str, Any]] = [
    {
        "slug": "e-health-projectleiders",
        "name": "Netwerk e-health projectleiders",
        "facilitator": "fenna",
        "language": "nl",
        "join_policy": Community.JoinPolicy.APPROVAL,
        "visibility": Community.Visibility.MEMBERS,
        "stage": Community.Stage.COALESCING,
        "focus": "Projectleiders die e-health invoeren in zorgorganisaties leren van elkaars "
        "implementaties: wat werkt op de werkvloer, wat niet, en waarom.",
        "urgency": "Elke organisatie vindt het wiel opnieuw uit terwijl de druk om zorg "
        "digitaal te organiseren snel toeneemt.",
        "member_value": "Antwoord op je vragen van mensen die het al eens deden, "
        "voorbeelden van plannen en een plek om ook je mislukkingen te delen.",
        "charter": "We delen ervaringen, geen patiëntgegevens. Wat in de community "
        "besproken wordt blijft binnen de community, tenzij de auteur anders aangeeft.",
        "members": {
            "mira": Membership.Role.MEMBER,
            "olivia": Membership.Role.MEMBER,
            "sander": Membership.Role.SPONSOR,
        },
    },
    {
        "slug": "schade-experts",
        "name": "Schade-experts verzekeraars",
        "facilitator": "kees",
        "language": "nl",
        "join_policy": Community.JoinPolicy.INVITE,
        "visibility": Community.Visibility.MEMBERS,
        "is_listed": False,
        "is_confidential": True,
        "stage": Community.Stage.MATURING,
        "focus": "Schade-experts van concurrerende verzekeraars bespreken lastige "
        "schadegevallen en nieuwe werkwijzen.",
        "urgency": "Nieuwe schadesoorten (klimaat, e-bikes, thuisbatterijen) vragen om "
        "kennis die geen enkele verzekeraar alleen heeft.",
        "member_value": "Sneller een goede inschatting bij onbekende schades, en een "
        "vertrouwd netwerk van vakgenoten.",
        "charter": "Vertrouwelijk: niets uit deze community gaat naar buiten. We noemen "
        "geen klantnamen en geen polisdetails.",
        "members": {"ilse": Membership.Role.MEMBER},
    },
    {
        "slug": "aanjagers-lokale-gezondheid",
        "name": "Aanjagers lokale gezondheid",
        "facilitator": "fenna",
        "language": "nl",
        "join_policy": Community.JoinPolicy.OPEN,
        "visibility": Community.Visibility.SIGNED_IN,
        "stage": Community.Stage.POTENTIAL,
        "focus": "Aanjagers die in wijken en spreekkamers gezondheid lokaal op de agenda zetten.",
        "urgency": "Aanjagers werken vaak alleen; ze gebruiken WhatsApp en Teams en missen "
        "één plek om ervaringen te bewaren.",
        "member_value": "Tips die je morgen in de wijk kunt gebruiken, zonder drempel.",
        "charter": "Iedereen mag meelezen. Deel wat je geleerd hebt, ook als het misging.",
        "members": {"mira": Membership.Role.CORE},
    },
    {
        "slug": "web-developers",
        "name": "Web developers across agencies",
        "facilitator": "ravi",
        "language": "en",
        "join_policy": Community.JoinPolicy.OPEN,
        "visibility": Community.Visibility.SIGNED_IN,
        "stage": Community.Stage.MATURING,
        "focus": "Developers spread over competing agencies share what they learn about "
        "accessibility, performance and maintainable front-ends.",
        "urgency": "The European Accessibility Act applies now; every agency needs the "
        "same know-how at once.",
        "member_value": "Answers from peers who solved it last month, and reusable checklists.",
        "charter": "Share practice, not client secrets. Be kind to newcomers.",
        "members": {"olivia": Membership.Role.MEMBER},
    },
]

THREADS: list[dict[str, Any]] = [
    {
        "community": "e-health-projectleiders",
        "author": "mira",
        "kind": Thread.Kind.QUESTION,
        "title": "Hoe krijg je wijkverpleging mee met beeldbellen?",
        "body": "We hebben beeldbellen ingevoerd, maar de wijkverpleging gebruikt het "
        "nauwelijks. **Wie heeft dit opgelost?** Welke stap maakte het verschil?",
        "replies": [
            (
                "fenna",
                "Bij ons hielp het om per team één *ambassadeur* te kiezen die "
                "collega's het eerste gesprek liet oefenen.",
                None,
            ),
            (
                "olivia",
                "Same here: we paired each team with a champion. Usage doubled in a month.",
                0,
            ),
            ("mira", "Dank! Hoe lang hadden die ambassadeurs daarvoor nodig per week?", 1),
        ],
    },
    {
        "community": "e-health-projectleiders",
        "author": "fenna",
        "kind": Thread.Kind.FAILURE_STORY,
        "title": "Dit ging helemaal mis: een webinar waar niemand om vroeg",
        "body": "We organiseerden een privacyscan-webinar. Er kwamen twee mensen. "
        "Les: vraag eerst wat leden willen leren, en laat ze stemmen op onderwerpen.",
        "replies": [
            (
                "mira",
                "Herkenbaar. Onderwerpen die leden zelf voorstelden trokken bij ons "
                "tien keer zoveel mensen.",
                None,
            ),
        ],
    },
    {
        "community": "schade-experts",
        "author": "ilse",
        "kind": Thread.Kind.QUESTION,
        "title": "Brand door thuisbatterij: hoe bepalen jullie de oorzaak?",
        "body": "Vertrouwelijk casus: hoe stellen jullie vast of de batterij of de "
        "installatie de oorzaak was?",
        "replies": [
            (
                "kees",
                "Wij laten altijd een elektrotechnisch expert meekijken vóór het "
                "opruimen. Foto's van de omvormer zijn essentieel.",
                None,
            ),
        ],
    },
    {
        "community": "aanjagers-lokale-gezondheid",
        "author": "mira",
        "kind": Thread.Kind.TIP,
        "title": "Tip: begin je wijkbijeenkomst met één concrete vraag",
        "body": "Niet *wat vindt u belangrijk?* maar *waar loopt u deze week tegenaan?* "
        "Dat levert meteen verhalen op.",
        "replies": [],
    },
    {
        "community": "web-developers",
        "author": "olivia",
        "kind": Thread.Kind.STORY,
        "title": "How we cut our form errors in half with better labels",
        "body": "We replaced placeholder-only fields with visible labels and inline "
        "errors. Support tickets about the sign-up form dropped by half.\n\n"
        "- visible labels\n- errors next to the field\n- no timeouts",
        "replies": [
            ("ravi", "Great story. Did you measure completion time as well?", None),
        ],
    },
]


@transaction.atomic
def load_demo_data() -> dict[str, int]:
    """Create what is missing; running it twice changes nothing. Returns counts created."""
    created = {"users": 0, "communities": 0, "threads": 0}
    orgs = {
        name: Organization.objects.get_or_create(
            name=name, defaults={"kind": kind, "is_listed": True}
        )[0]
        for name, kind in ORGANIZATIONS
    }
    users: dict[str, User] = {}
    for persona in PERSONAS:
        user = User.objects.filter(email__iexact=persona.email).first()
        if user is None:
            user = User.objects.create_user(
                persona.email,
                display_name=persona.name,
                language=persona.language,
                organization=orgs[persona.organization],
                is_staff=persona.is_admin,
                is_superuser=persona.is_admin,
            )
            _mark_email_verified(user)
            created["users"] += 1
        users[persona.key] = user

    admin = users["admin"]
    communities: dict[str, Community] = {}
    for spec in COMMUNITIES:
        spec = dict(spec)
        members = spec.pop("members")
        facilitator = users[spec.pop("facilitator")]
        community = Community.objects.filter(slug=spec["slug"]).first()
        if community is None:
            community = community_create(creator=admin, facilitator=facilitator, **spec)
            for key, role in members.items():
                membership_grant(community=community, user=users[key], role=role, granted_by=admin)
                membership_accept_charter(community=community, user=users[key])
            created["communities"] += 1
        communities[community.slug] = community

    for spec in THREADS:
        community = communities[spec["community"]]
        if Thread.objects.filter(community=community, title=spec["title"]).exists():
            continue
        thread = thread_create(
            community=community,
            author=users[spec["author"]],
            kind=spec["kind"],
            title=spec["title"],
            body=spec["body"],
        )
        written: list[Reply] = []
        for key, body, parent_index in spec["replies"]:
            parent = written[parent_index] if parent_index is not None else None
            written.append(reply_create(thread=thread, author=users[key], body=body, parent=parent))
        created["threads"] += 1

    for hook in DEMO_HOOKS:
        import_string(hook)(users, communities)
    return created


def _mark_email_verified(user: User) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
