"""The API under /api/v1: one NinjaAPI, each app's router, one error format."""

from ninja import NinjaAPI

from aftersales.catalog.api import router as catalog_router
from aftersales.core.api import BearerAuth, JsonParser, install_error_handlers
from aftersales.core.api import router as auth_router
from aftersales.customers.api import router as customers_router
from aftersales.desk.api import router as desk_router
from aftersales.dispatch.api import router as dispatch_router
from aftersales.field.api import router as field_router
from aftersales.followups.api import router as followups_router
from aftersales.knowledge.api import router as knowledge_router
from aftersales.portal.api import router as portal_router
from aftersales.privacy.api import router as privacy_router
from aftersales.reports.api import router as reports_router
from aftersales.shell.handover_api import router as handover_router
from aftersales.warranty.api import router as warranty_router
from aftersales.workorders.api import router as workorders_router

api = NinjaAPI(
    title="Aftersales API",
    version="1",
    description="售后服务管理系统 — the public API. See docs/api.md.",
    auth=BearerAuth(),
    parser=JsonParser(),
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("/auth", auth_router)
api.add_router("/", dispatch_router)
api.add_router("/", handover_router)
api.add_router("/", field_router)
api.add_router("/", customers_router)
api.add_router("/", privacy_router)  # a person's export and erase (/customers/{id}/…)
api.add_router("/", catalog_router)
api.add_router("/", warranty_router)
api.add_router("/", desk_router)  # the requests (tickets' with their complaints, work orders)
api.add_router("/", workorders_router)
api.add_router("/", followups_router)
api.add_router("/", knowledge_router)
api.add_router("/", portal_router)
api.add_router("/", reports_router)
