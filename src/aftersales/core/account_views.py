"""The account pages: logging in under the failed-login limits (the staff login and the admin's),
and a user changing their own password through Django's validators (decision 55)."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from aftersales.core import accounts
from aftersales.core.clients import client_of
from aftersales.core.errors import RateLimited


class LimitedLoginMixin:
    """AuthenticationForm's check through `accounts.login`: too many failures from this client
    refuse the login in words (`refusal` holds the 429 for the view)."""

    refusal: RateLimited | None = None

    def clean(self) -> dict[str, Any]:
        form: Any = self
        username = form.cleaned_data.get("username")
        password = form.cleaned_data.get("password")
        if username is not None and password:
            try:
                form.user_cache = accounts.login(
                    client=client_of(form.request),
                    username=username,
                    password=password,
                    request=form.request,
                )
            except RateLimited as exc:
                self.refusal = exc
                raise forms.ValidationError(exc.message, code="rate_limited") from exc
            if form.user_cache is None:
                raise form.get_invalid_login_error()
            form.confirm_login_allowed(form.user_cache)
        return dict(form.cleaned_data)


class LoginForm(LimitedLoginMixin, AuthenticationForm):
    pass


class AdminLoginForm(LimitedLoginMixin, AdminAuthenticationForm):
    """The admin's own login page counts and refuses like the staff one (shown on the form)."""


class LoginView(auth_views.LoginView):
    """The staff login page; a refusal for too many failures answers 429 with Retry-After."""

    template_name = "core/login.html"
    form_class = LoginForm

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        if form.refusal is not None:
            response.status_code = 429
            response["Retry-After"] = str(form.refusal.retry_after)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """A user changes their own password: the old one, then a new one Django's validators
    accept. Their other sessions end (Django's session hash) and so do their API tokens (the
    password fingerprint); this session goes on."""

    template_name = "core/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(
            self.request,
            _("Your password was changed. Your API tokens no longer work: get new ones."),
        )
        return response
