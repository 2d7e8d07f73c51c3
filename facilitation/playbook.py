"""The stage playbooks: per stage of a community, a one-line explanation of the theory's
stage (for facilitators only: members see plain words, communities.models.
STAGE_PLAIN_WORDS), what to expect of its value, and a short checklist drawn from the
source texts. Code, not data: the steps are the product's guidance, translated with
the rest of it; the ticks (facilitation.models.PlaybookTick) name a step by its key,
so keys never change once released."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from communities.models import Community

S = Community.Stage


@dataclass(frozen=True)
class Step:
    key: str
    text: str | Promise


@dataclass(frozen=True)
class Playbook:
    stage: str
    explanation: str | Promise
    expects: str | Promise
    steps: tuple[Step, ...]


PLAYBOOKS: dict[str, Playbook] = {
    S.POTENTIAL: Playbook(
        S.POTENTIAL,
        _("People with a shared concern are finding each other; the community is not there yet."),
        _("Expect conversations and interest, not yet results."),
        (
            Step("focus", _("Write down the focus, why it matters now and what members gain.")),
            Step("network", _("Find the people who already do this informally and talk to them.")),
            Step("core", _("Find two or three people who will help start it: the core group.")),
            Step("kick_off", _("Plan the kick-off meeting.")),
        ),
    ),
    S.COALESCING: Playbook(
        S.COALESCING,
        _(
            "The sticking phase: members build trust and relationships while they already "
            "produce practical value."
        ),
        _("Expect immediate value (help with a question, a tip); no realised results yet."),
        (
            Step("charter", _("Agree the way of working: what is shared and what stays inside.")),
            Step(
                "hard_case",
                _("Get members to share a hard case early, before trust is high."),
            ),
            Step("energy", _("Keep the energy up after the kick-off: something new every week.")),
            Step(
                "one_to_one",
                _("Encourage one-to-one contact, but bring what comes of it back to the group."),
            ),
            Step(
                "first_value",
                _("Deliver first results of practical value: an answered question, a tip in use."),
            ),
        ),
    ),
    S.MATURING: Playbook(
        S.MATURING,
        _(
            "The community sets its focus and boundaries, builds up knowledge and takes in "
            "newcomers."
        ),
        _("Expect applied value to show: members change their practice."),
        (
            Step("topics", _("Let members propose and vote on topics; meet about what they ask.")),
            Step("knowledge", _("Turn good threads into knowledge pages.")),
            Step("ambassadors", _("Ask core members to share their own stories, failures too.")),
            Step(
                "newcomers",
                _("Explain the way of working again when newcomers arrive; renew it together."),
            ),
            Step("value", _("Ask members what they applied and what it changed.")),
        ),
    ),
    S.STEWARDSHIP: Playbook(
        S.STEWARDSHIP,
        _("The community keeps its practice and knowledge fresh and stays relevant."),
        _("Expect applied and realised value: results sponsors can see."),
        (
            Step("fresh", _("Review the knowledge pages: update or retire what is stale.")),
            Step("leadership", _("Share the facilitation: bring in new core members.")),
            Step("sponsors", _("Show sponsors the value, with the stories behind the numbers.")),
            Step("relevance", _("Check the focus with members: is it still what they need?")),
        ),
    ),
    S.TRANSFORMATION: Playbook(
        S.TRANSFORMATION,
        _("The community changes: a new focus, a merger, a split or an end."),
        _("Expect a reframing: what counts as success changes."),
        (
            Step("decide", _("Decide with members what comes next.")),
            Step("hand_on", _("Hand on what the community knows: publish the knowledge pages.")),
            Step("thank", _("Tell members and sponsors in good time, and thank them.")),
        ),
    ),
}


def playbook_for(stage: str) -> Playbook:
    return PLAYBOOKS.get(stage, PLAYBOOKS[S.POTENTIAL])


def step_keys(stage: str) -> set[str]:
    return {step.key for step in playbook_for(stage).steps}
