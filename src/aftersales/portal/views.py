"""The customer's pages, no login: rating a finished request."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_protect

from aftersales.core.errors import DomainError, RateLimited
from aftersales.followups.services import followup_rate_from_web
from aftersales.portal import throttle
from aftersales.portal.forms import RatingForm


@csrf_protect
def rate(request: HttpRequest, number: str) -> HttpResponse:
    """The survey link's page: phone, score and comment → the same service as the API. A refusal
    is shown in words above the form, with what was typed kept; a rating → the thank-you page
    (redirected, so reloading it posts nothing again). Too many wrong phones from one client → 429
    with when to try again, as the API (portal/throttle.py)."""
    number = number.strip().upper()
    form, status, retry_after = RatingForm(request.POST or None), 200, None
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                ticket = throttle.ticket_for_customer(request, number=number, phone=data["phone"])
                survey = followup_rate_from_web(
                    ticket=ticket, score=data["score"], comment=data["comment"]
                )
            except DomainError as exc:
                form.add_refusal(exc)
                status = exc.status
                if isinstance(exc, RateLimited):
                    retry_after = exc.retry_after
            else:
                return redirect(f"{reverse('portal:rate', args=[survey.ticket.number])}?rated=1")
    elif request.GET.get("rated"):
        return _page(request, "portal/rated.html", {"number": number})
    response = _page(request, "portal/rate.html", {"number": number, "form": form}, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, template, {"company": settings.COMPANY_NAME, **context}, status=status)
