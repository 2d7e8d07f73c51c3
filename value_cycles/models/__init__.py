"""Value creation (Wenger, Trayner & De Laat 2011): events per cycle, stories,
aspirations and the follow-ups that ask whether value travelled further.

Every event and story carries the consent tier its author chose; who may read what is
decided in value_cycles.permissions alone.
"""

from value_cycles.models.events import Capital, ConsentChange, Cycle, Tier, ValueEvent
from value_cycles.models.follow_ups import FollowUp
from value_cycles.models.stories import Aspiration, ValueStory

__all__ = [
    "Aspiration",
    "Capital",
    "ConsentChange",
    "Cycle",
    "FollowUp",
    "Tier",
    "ValueEvent",
    "ValueStory",
]
