"""The one signal of the platform (docs/signals.md): a member's account is erased.

`member_erased` is sent by `members.services.privacy.member_erase` inside its
transaction, before the account row is deleted, with `user` (still readable) and
`remove_posts` (the member asked for their posts to be removed where the community
allows it). Higher apps, which members may not import, erase their part in a receiver
in their own `signals.py`, connected in `AppConfig.ready()`. A receiver that fails
rolls the whole erasure back.
"""

from django.dispatch import Signal

member_erased = Signal()
