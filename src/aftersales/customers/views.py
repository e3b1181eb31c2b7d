"""Customer pages."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from aftersales.catalog.selectors import units_of
from aftersales.core.views import staff_required
from aftersales.customers.selectors import customer_get


@staff_required
def customer_detail(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = customer_get(customer_id)
    if customer is None:
        raise Http404
    return render(
        request, "customers/detail.html", {"customer": customer, "units": units_of(customer)}
    )
