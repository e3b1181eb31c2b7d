"""Demo data, the service network: working calendars, service centers and the staff's logins."""

from aftersales.core.models import BusinessCalendar
from aftersales.dispatch.models import ServiceCenter
from aftersales.dispatch.services import staff_upsert

DEMO_PASSWORD = "demo1234"

CALENDARS = [
    (
        "office",
        "办公时间（周一至周五）",
        {d: [["09:00", "12:00"], ["13:30", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")},
    ),
    (
        "service-6d",
        "服务网点（周一至周六，午休）",
        {
            d: [["08:30", "12:00"], ["13:30", "17:30"]]
            for d in ("mon", "tue", "wed", "thu", "fri", "sat")
        },
    ),
    (
        "split-shift",
        "维修中心（两班制）",
        {
            d: [["08:00", "12:00"], ["14:00", "20:00"]]
            for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        },
    ),
]

CENTERS = [
    (
        "sh-tech",
        "上海技术中心",
        ServiceCenter.Kind.TECHNICAL_CENTER,
        ["310000"],
        "上海市浦东新区张江路 88 号",
        "021-5080 1234",
        "office",
    ),
    (
        "gz-repair",
        "广州维修中心",
        ServiceCenter.Kind.REPAIR_CENTER,
        ["440100", "440000"],
        "广州市天河区体育西路 120 号",
        "020-3862 5566",
        "split-shift",
    ),
    (
        "sz-branch",
        "深圳南山服务网点",
        ServiceCenter.Kind.BRANCH,
        ["440305"],
        "深圳市南山区科技园南路 6 号",
        "0755-2671 8899",
        "service-6d",
    ),
]

# One user per role: (username, role, center, name)
STAFF = [
    ("admin", "admin", None, "系统管理员"),
    ("hotline", "hotline", None, "李晓燕"),
    ("dispatcher", "dispatcher", "gz-repair", "陈志强"),
    ("frontdesk", "front_desk", "sz-branch", "王丽"),
    ("techcenter", "tech_center", "sh-tech", "赵工"),
    ("complaints", "complaints", None, "孙敏"),
    ("manager", "branch_manager", "sz-branch", "周建国"),
    ("finance", "finance", None, "吴静"),
    ("archive", "archive", None, "郑芳"),
]
TECHNICIANS = [
    ("tech01", "gz-repair", "刘师傅"),
    ("tech02", "gz-repair", "黄师傅"),
    ("tech03", "gz-repair", "何师傅"),
    ("tech04", "sz-branch", "林师傅"),
    ("tech05", "sz-branch", "郭师傅"),
    ("tech06", "sz-branch", "马师傅"),
    ("tech07", "sh-tech", "罗师傅"),
    ("tech08", "sh-tech", "梁师傅"),
]


def load_network() -> list[tuple[str, str, str]]:
    """The calendars, the centers and the staff; the demo logins (username, role, center)."""
    calendars = {}
    for code, name, hours in CALENDARS:
        calendars[code], _ = BusinessCalendar.objects.update_or_create(
            code=code, defaults={"name": name, "weekly_hours": hours}
        )
    for code, name, kind, regions, address, phone, calendar in CENTERS:
        ServiceCenter.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "regions": regions,
                "address": address,
                "phone": phone,
                "calendar": calendars[calendar],
            },
        )
    logins = []
    for username, role, center, name in STAFF:
        staff_upsert(
            username=username, role=role, password=DEMO_PASSWORD, center_code=center, name=name
        )
        logins.append((username, role, center or ""))
    for username, center, name in TECHNICIANS:
        staff_upsert(
            username=username,
            role="technician",
            password=DEMO_PASSWORD,
            center_code=center,
            name=name,
        )
        logins.append((username, "technician", center))
    return logins
