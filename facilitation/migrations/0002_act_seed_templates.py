"""The first seed templates, per stage, drawn from the source texts on communities of
practice. Product content: site admins change them in the admin afterwards; this
migration only adds them (and removes exactly these on the way back)."""

from django.db import migrations

# (stage, kind, order, title_nl, title_en, body_nl, body_en)
TEMPLATES = [
    (
        "potential",
        "question",
        1,
        "Wat wil jij hier van elkaar leren?",
        "What would you like to learn from each other here?",
        "We beginnen deze community omdat we met dezelfde vragen rondlopen. Welke vraag "
        "houdt jou nu bezig in je werk, en wat hoop je hier te vinden?",
        "We are starting this community because we share the same questions. Which "
        "question keeps you busy at work right now, and what do you hope to find here?",
    ),
    (
        "potential",
        "question",
        2,
        "Wie moet er nog meer bij?",
        "Who else should join?",
        "Wie ken jij die hier ook mee bezig is, in je eigen organisatie of daarbuiten? "
        "Noem een rol of nodig die persoon uit.",
        "Who do you know who works on this too, in your organisation or elsewhere? Name "
        "a role, or invite that person.",
    ),
    (
        "coalescing",
        "question",
        1,
        "Stel je even voor",
        "Introduce yourself",
        "Wie ben je, waar werk je en waar ben je nu mee bezig? Noem één onderwerp waar je "
        "graag over meepraat en één waar je hulp bij kunt gebruiken.",
        "Who are you, where do you work and what are you working on now? Name one topic "
        "you like to talk about and one you could use some help with.",
    ),
    (
        "coalescing",
        "question",
        2,
        "Wat is jouw lastigste casus op dit moment?",
        "What is your hardest case right now?",
        "Iedereen loopt ergens op vast. Beschrijf kort een casus waar je nu mee worstelt, "
        "zonder namen of vertrouwelijke gegevens. De anderen denken mee.",
        "Everyone gets stuck somewhere. Describe a case you are struggling with now, "
        "without names or confidential details. The others will think along.",
    ),
    (
        "coalescing",
        "question",
        3,
        "Waar zullen we het op de eerste bijeenkomst over hebben?",
        "What shall we talk about at our first meet-up?",
        "Stel een onderwerp voor de eerste bijeenkomst voor, of stem op een voorstel bij "
        "Onderwerpen. Waarmee ga jij naar huis als het een goede middag was?",
        "Propose a topic for our first meet-up, or vote for one under Topics. What would "
        "you take home from a good afternoon?",
    ),
    (
        "coalescing",
        "tip",
        4,
        "Deel je handigste tip",
        "Share your handiest tip",
        "Wat werkt bij jou goed dat anderen morgen kunnen gebruiken? Een werkwijze, een "
        "formulier, een manier om collega's mee te krijgen.",
        "What works well for you that others could use tomorrow? A way of working, a "
        "form, a way to get colleagues on board.",
    ),
    (
        "maturing",
        "story",
        1,
        "Dit ging helemaal mis, en dit leerde ik ervan",
        "This went completely wrong, and this is what I learned",
        "Mislukkingen leren ons vaak het meest. Vertel wat er misging, wat je achteraf "
        "anders zou doen en wat anderen ervan kunnen leren.",
        "Failures often teach us the most. Tell us what went wrong, what you would do "
        "differently and what others can learn from it.",
    ),
    (
        "maturing",
        "question",
        2,
        "Wat heb je toegepast van wat je hier leerde?",
        "What did you put into practice of what you learned here?",
        "Heb je iets uit deze community in je werk gebruikt? Wat veranderde er, en wat "
        "zou je anderen aanraden?",
        "Did you use something from this community in your work? What changed, and what "
        "would you recommend to others?",
    ),
    (
        "stewardship",
        "question",
        1,
        "Welke kennis is verouderd?",
        "Which of our knowledge is out of date?",
        "Welke kennispagina of afspraak klopt niet meer met hoe we nu werken? Noem hem, "
        "dan werken we hem samen bij.",
        "Which knowledge page or agreement no longer matches how we work now? Name it "
        "and we will update it together.",
    ),
    (
        "stewardship",
        "question",
        2,
        "Wat zou jou nu het meest helpen?",
        "What would help you most now?",
        "Ons werk verandert. Waar wil je het komende jaar samen aan werken?",
        "Our work changes. What would you like to work on together in the coming year?",
    ),
    (
        "transformation",
        "question",
        1,
        "Hoe gaan we verder?",
        "How do we carry on?",
        "De community verandert. Wat wil je bewaren, wat mag stoppen en waar wil je mee "
        "verder?",
        "The community is changing. What would you like to keep, what may stop and what "
        "would you like to carry on with?",
    ),
]


def add(apps, schema_editor):
    SeedTemplate = apps.get_model("facilitation", "SeedTemplate")
    for stage, kind, order, title_nl, title_en, body_nl, body_en in TEMPLATES:
        SeedTemplate.objects.get_or_create(
            stage=stage,
            title_en=title_en,
            defaults={
                "kind": kind,
                "order": order,
                "title_nl": title_nl,
                "body_nl": body_nl,
                "body_en": body_en,
            },
        )


def remove(apps, schema_editor):
    SeedTemplate = apps.get_model("facilitation", "SeedTemplate")
    for stage, _kind, _order, _nl, title_en, _bnl, _ben in TEMPLATES:
        SeedTemplate.objects.filter(stage=stage, title_en=title_en).delete()


class Migration(migrations.Migration):
    dependencies = [("facilitation", "0001_console_and_act")]

    operations = [migrations.RunPython(add, remove)]
