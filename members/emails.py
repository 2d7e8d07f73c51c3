"""Build and send one email from templates, in the recipient's language.

Templates come in threes under templates/<app>/emails/: <name>.subject.txt,
<name>.txt and (optionally) <name>.html. Shared by every app's emails module.
"""

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation


def send_templated_email(*, template: str, to: str, language: str, context: dict[str, Any]) -> None:
    """Render `template` (e.g. "communities/emails/invitation") in `language` and send it.

    Links in emails must be absolute: SITE_URL is in the context as `site_url`.
    """
    context = {"site_url": settings.SITE_URL.rstrip("/"), **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}.subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        try:
            html: str | None = render_to_string(f"{template}.html", context)
        except TemplateDoesNotExist:
            html = None
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
