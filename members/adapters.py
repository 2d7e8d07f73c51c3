from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import get_language

from members.models import User

LOGGED_IN_MESSAGE = "account/messages/logged_in.txt"


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: User, form: Any, commit: bool = True) -> User:
        """Keep the name given at sign-up, and start in the language the visitor used."""
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data.get("display_name", "").strip()
        language = get_language() or settings.LANGUAGE_CODE
        if language in dict(settings.LANGUAGES):
            user.language = language
        if commit:
            user.save()
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Account emails (the login code among them) in the language the person chose,
        not the one of the browser that asked for them; our own templates
        (templates/account/email/, text and HTML) name the site as configured."""
        user = User.objects.filter(email__iexact=email).only("language").first()
        language = user.language if user is not None else get_language()
        context = {
            "site_name": settings.COP_SITE_NAME,
            "site_url": settings.SITE_URL.rstrip("/"),
            **context,
        }
        with translation.override(language or settings.LANGUAGE_CODE):
            super().send_mail(template_prefix, email, context)

    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        message_context: dict[str, Any] | None = None,
        extra_tags: str = "",
        message: str | None = None,
    ) -> None:
        # A page that signs someone in with its own welcome (the invitation link) says so
        # once, not also "You are now logged in as ...".
        if getattr(request, "quiet_login", False) and message_template == LOGGED_IN_MESSAGE:
            return
        super().add_message(request, level, message_template, message_context, extra_tags, message)
