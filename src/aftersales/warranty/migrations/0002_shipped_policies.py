"""Ship the policies, categories and part codes of DOMAIN.md "Categories and part codes shipped".

The data is frozen here (a later change to the shipped policies is a new migration or an
administrator's edit, which makes a new version). Idempotent: existing rows are left alone.
"""

from decimal import Decimal

from django.db import migrations

EXCLUSIONS = ["liquid", "impact", "unauthorized_repair", "misuse", "force_majeure"]

CATEGORY_NAMES = {
    "mobile_phone": "手机",
    "colour_tv": "彩色电视机",
    "washing_machine": "洗衣机",
    "refrigerator": "电冰箱",
    "air_conditioner": "空调器",
    "bicycle": "自行车",
    "computer": "微型计算机",
    "air_compressor": "空气压缩机",
    "flooring": "地板",
}
M = "months"
HOST = ("host", "主机 / 整机", "host", 12, M)

PHONE_FAULTS = [
    ("", "function_failure", "说明书所列功能失效"),
    ("", "no_display", "无显示、显示乱字符或缺笔画"),
    ("", "no_power", "不开机"),
    ("", "no_network", "不能登录网络或不能通话"),
    ("", "no_ring", "无振铃"),
    ("", "wrong_dialing", "拨号错号"),
    ("", "abnormal_shutdown", "非正常关机"),
    ("", "sim_contact", "卡接触不良"),
    ("", "keys_fail", "按键失灵"),
    ("", "audio_fault", "无送话、无受话、单向通话或音量异常"),
    ("", "casing_crack", "因结构或材料原因造成外壳破裂"),
    ("battery", "battery_fault", "充电后仍不能正常工作，且容量低于额定容量的 80%"),
    ("charger", "charger_fault", "使用规定的充电器不能充电或充电异常"),
    ("headset", "headset_fault", "不能送话或受话"),
    ("terminal_card", "card_fault", "不能正常工作"),
    ("data_card", "card_fault", "不能正常工作"),
]
HOUSEHOLD_FAULTS = [
    ("", "function_failure", "产品说明书所列功能失效"),
    ("", "no_power", "不能开机或无法启动"),
    ("", "abnormal_noise", "异常噪声或振动"),
    ("", "leakage", "漏水、漏电或漏氟"),
]
COMPUTER_FAULTS = [
    ("", "function_failure", "产品说明书所列功能失效"),
    ("", "no_boot", "不能开机或不能启动系统"),
    ("", "display_fault", "显示异常"),
    ("", "storage_fault", "存储设备读写错误"),
]

POLICIES = [
    {
        "code": "cn-mobile-phone-2001",
        "name": "移动电话机商品三包规定（2001）",
        "return_days": 7,
        "exchange_days": 15,
        "parts_delay_days": 60,
        "no_voucher_grace_days": 90,
        "categories": [
            (
                "mobile_phone",
                Decimal("0.005"),
                [
                    HOST,
                    ("battery", "电池", "accessory", 6, M),
                    ("charger", "充电器", "accessory", 12, M),
                    ("headset", "有线耳机", "accessory", 3, M),
                    ("terminal_card", "移动终端卡", "accessory", 12, M),
                    ("data_card", "数据卡", "accessory", 12, M),
                ],
            )
        ],
        "faults": PHONE_FAULTS,
    },
    {
        "code": "cn-household-1995",
        "name": "部分商品修理更换退货责任规定（1995）",
        "return_days": 7,
        "exchange_days": 15,
        "parts_delay_days": 90,
        "no_voucher_grace_days": None,
        "categories": [
            (
                "colour_tv",
                Decimal("0.001"),
                [
                    HOST,
                    ("picture_tube", "显像管", "main_part", 36, M),
                    ("flyback_transformer", "行输出变压器", "main_part", 36, M),
                    ("tuner", "高频调谐器", "main_part", 36, M),
                    ("ic", "集成电路", "main_part", 36, M),
                ],
            ),
            ("washing_machine", Decimal("0.0005"), [HOST]),
            ("refrigerator", Decimal("0.0005"), [HOST]),
            ("air_conditioner", Decimal("0.001"), [HOST]),
            (
                "bicycle",
                Decimal("0.0005"),
                [
                    HOST,
                    ("frame", "车架", "main_part", 24, M),
                    ("gears", "变速器", "main_part", 24, M),
                ],
            ),
        ],
        "faults": HOUSEHOLD_FAULTS,
    },
    {
        "code": "cn-computer-2002",
        "name": "微型计算机商品修理更换退货责任规定（2002）",
        "return_days": 7,
        "exchange_days": 15,
        "parts_delay_days": 90,
        "no_voucher_grace_days": None,
        "categories": [
            (
                "computer",
                Decimal("0.0025"),
                [
                    HOST,
                    ("motherboard", "主板", "main_part", 24, M),
                    ("cpu", "CPU", "main_part", 24, M),
                    ("memory", "内存", "main_part", 24, M),
                    ("display", "显示器", "main_part", 24, M),
                    ("hard_disk", "硬盘", "main_part", 24, M),
                    ("keyboard", "键盘", "main_part", 24, M),
                    ("power_adapter", "电源适配器", "main_part", 24, M),
                ],
            )
        ],
        "faults": COMPUTER_FAULTS,
    },
    {
        "code": "company-air-compressor",
        "name": "空气压缩机保修政策（公司）",
        "return_days": None,
        "exchange_days": None,
        "parts_delay_days": 90,
        "no_voucher_grace_days": None,
        "failed_repair_threshold": None,
        "categories": [("air_compressor", None, [HOST])],
        "faults": [
            ("", "no_start", "无法启动"),
            ("", "pressure_abnormal", "排气压力或流量异常"),
            ("", "overheat", "过热停机"),
            ("", "abnormal_noise", "异常噪声或振动"),
            ("", "oil_leak", "漏油或油气分离不良"),
        ],
    },
    {
        "code": "company-flooring",
        "name": "地板保修政策（公司）",
        "return_days": None,
        "exchange_days": None,
        "parts_delay_days": 90,
        "no_voucher_grace_days": None,
        "failed_repair_threshold": None,
        "categories": [("flooring", None, [("host", "整体地板", "host", 24, M)])],
        "faults": [
            ("", "warping", "起拱或翘曲变形"),
            ("", "cracking", "开裂"),
            ("", "delamination", "表层脱落或鼓泡"),
            ("", "joint_gap", "拼缝过大"),
        ],
    },
]


def ship(apps, schema_editor):
    Category = apps.get_model("catalog", "Category")
    Policy = apps.get_model("warranty", "Policy")
    PolicyCategory = apps.get_model("warranty", "PolicyCategory")
    PolicyPart = apps.get_model("warranty", "PolicyPart")
    PerformanceFault = apps.get_model("warranty", "PerformanceFault")
    PolicyVersion = apps.get_model("warranty", "PolicyVersion")
    for data in POLICIES:
        if Policy.objects.filter(code=data["code"]).exists():
            continue
        policy = Policy.objects.create(
            code=data["code"],
            name=data["name"],
            return_days=data["return_days"],
            exchange_days=data["exchange_days"],
            parts_delay_days=data["parts_delay_days"],
            no_voucher_grace_days=data["no_voucher_grace_days"],
            exclusions=EXCLUSIONS,
            failed_repair_threshold=data.get("failed_repair_threshold", 2),
        )
        snapshot_categories = []
        for category_code, rate, parts in data["categories"]:
            category, _ = Category.objects.get_or_create(
                code=category_code, defaults={"name": CATEGORY_NAMES[category_code]}
            )
            terms = PolicyCategory.objects.create(policy=policy, category=category, daily_rate=rate)
            for code, name, kind, amount, unit in parts:
                PolicyPart.objects.create(
                    terms=terms,
                    code=code,
                    name=name,
                    kind=kind,
                    period_amount=amount,
                    period_unit=unit,
                )
            snapshot_categories.append(
                {
                    "category": category_code,
                    "daily_rate": str(rate) if rate is not None else None,
                    "parts": [
                        {"code": c, "name": n, "kind": k, "period": [a, u]}
                        for c, n, k, a, u in parts
                    ],
                }
            )
        for part, code, name in data["faults"]:
            PerformanceFault.objects.create(policy=policy, part=part, code=code, name=name)
        PolicyVersion.objects.create(
            policy=policy,
            version=1,
            snapshot={
                "code": policy.code,
                "name": policy.name,
                "version": 1,
                "return_days": policy.return_days,
                "exchange_days": policy.exchange_days,
                "failed_repair_threshold": policy.failed_repair_threshold,
                "accessory_exchange_threshold": 2,
                "repair_delay_days": 30,
                "parts_delay_days": policy.parts_delay_days,
                "no_voucher_grace_days": policy.no_voucher_grace_days,
                "roll_forward": True,
                "exchange_restarts_windows": False,
                "exclusions": EXCLUSIONS,
                "categories": snapshot_categories,
                "faults": [{"part": p, "code": c, "name": n} for p, c, n in data["faults"]],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("warranty", "0001_initial"), ("catalog", "0002_importjob")]
    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
