"""People: handing a leaving person's open work over to a colleague in one step (DOMAIN.md §1)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from aftersales.core.errors import DomainError
from aftersales.core.views import HtmxHttpRequest, staff_required
from aftersales.dispatch.services import staff_hand_over
from aftersales.tickets.forms import HandoverForm
from aftersales.tickets.selectors import handover_candidates
from aftersales.tickets.views import staff_user


@staff_required
@require_http_methods(["GET", "POST"])
def staff_handover(request: HtmxHttpRequest) -> HttpResponse:
    """Administrators and branch managers (theirs only); everyone else: 403."""
    by = staff_user(request)
    try:
        candidates = handover_candidates(by)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from exc
    form = HandoverForm(request.POST or None, candidates=candidates)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            arguments = form.arguments()
            try:
                moved = staff_hand_over(by=by, **arguments)
            except DomainError as exc:
                form.add_refusal(exc)
                status = exc.status
            else:
                leaving, to = arguments["user"], arguments["to"]
                messages.success(request, _handover_message(moved, leaving.username, to.username))
                return redirect("staff_handover")
    return render(request, "dispatch/handover.html", {"form": form}, status=status)


def _handover_message(moved: dict[str, int], leaving: str, to: str) -> str:
    requests = ngettext(
        "%(count)d request moved from %(from)s to %(to)s.",
        "%(count)d requests moved from %(from)s to %(to)s.",
        moved["requests"],
    ) % {"count": moved["requests"], "from": leaving, "to": to}
    return f"{requests} " + _("%(name)s can no longer sign in.") % {"name": leaving}
