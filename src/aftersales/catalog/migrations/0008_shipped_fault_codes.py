"""The fault-code trees shipped with the categories the company services beyond the statutory
ones (DOMAIN.md): phones (the performance faults of the phone rules' appendix 3), air compressors
and flooring — each symptom with the causes a technician finds — and every category's "other"
symptom (`OTHER`), under which a fault the tree does not name is counted.

Like the checklists (0005), the three categories are created if missing and a tree is added only
to a category that has none yet (never twice, never over an administrator's edits); a category
created later gets its "other" symptom from `catalog.services.category_ensure` and the admin, and
its tree from the admin or the fault-code import (docs/import.md). `ship` is also what the
browser tests call after emptying the database.
"""

from django.db import migrations

CATEGORY_NAMES = {"mobile_phone": "手机", "air_compressor": "空气压缩机", "flooring": "地板"}
OTHER, OTHER_NAME, OTHER_POSITION = "OTHER", "其他", 999

# category → [(symptom code, name, [(cause suffix, name)])]; a cause's code is SYMPTOM.SUFFIX.
TREES = {
    "mobile_phone": [
        (
            "NO_POWER",
            "不开机 / 无法开机",
            [
                ("BATTERY", "电池或电池触点故障"),
                ("POWER_KEY", "开机键故障"),
                ("BOARD", "主板故障（短路、虚焊）"),
                ("SOFTWARE", "系统软件损坏"),
            ],
        ),
        (
            "FREEZE",
            "死机 / 自动重启",
            [
                ("SOFTWARE", "系统软件故障"),
                ("MEMORY", "存储芯片故障"),
                ("BOARD", "主板故障"),
            ],
        ),
        (
            "ABNORMAL_SHUTDOWN",
            "非正常关机",
            [
                ("BATTERY_CONTACT", "电池接触不良"),
                ("POWER_IC", "电源管理电路故障"),
                ("OVERHEAT", "过热保护"),
            ],
        ),
        (
            "NO_CHARGE",
            "不能充电",
            [
                ("PORT", "充电接口损坏或接触不良"),
                ("CHARGE_IC", "充电管理电路故障"),
                ("BOARD", "主板故障"),
            ],
        ),
        (
            "BATTERY_FAULT",
            "电池不能充电 / 充电后仍不能正常工作",
            [
                ("CAPACITY", "电池容量低于额定容量的 80%"),
                ("SWELLING", "电池鼓包"),
                ("CELL", "电芯或保护板损坏"),
            ],
        ),
        (
            "NO_NETWORK",
            "无信号 / 通话故障",
            [
                ("SIM_CONTACT", "SIM 卡座接触不良"),
                ("ANTENNA", "天线或天线触点故障"),
                ("RF", "射频电路故障"),
                ("BASEBAND", "基带电路故障"),
            ],
        ),
        (
            "NO_DISPLAY",
            "屏幕显示故障（无显示、乱字符、缺笔画）",
            [
                ("LCD", "显示屏损坏"),
                ("CABLE", "屏幕排线断裂或松脱"),
                ("DRIVER", "显示驱动电路故障"),
                ("TOUCH", "触摸屏失灵"),
            ],
        ),
        (
            "KEYS_FAIL",
            "按键失灵",
            [
                ("KEY", "按键老化或损坏"),
                ("FLEX", "按键排线故障"),
                ("BOARD", "按键电路故障"),
            ],
        ),
        (
            "AUDIO_FAULT",
            "听筒 / 扬声器无声（无送话、无受话、单向通话、音量异常）",
            [
                ("RECEIVER", "听筒损坏"),
                ("SPEAKER", "扬声器损坏"),
                ("MIC", "麦克风故障"),
                ("AUDIO_IC", "音频电路故障"),
            ],
        ),
        (
            "NO_RING",
            "无振铃",
            [
                ("SPEAKER", "扬声器损坏"),
                ("VIBRATOR", "振动马达故障"),
            ],
        ),
        (
            "CAMERA",
            "摄像头故障",
            [
                ("MODULE", "摄像头模组损坏"),
                ("CABLE", "摄像头排线故障"),
                ("FOCUS", "对焦马达故障"),
            ],
        ),
        (
            "CASING_CRACK",
            "外壳破裂（结构或材料原因）",
            [
                ("MATERIAL", "材料缺陷"),
                ("STRUCTURE", "结构缺陷"),
            ],
        ),
        (
            "CHARGER_FAULT",
            "充电器不能充电或充电异常",
            [
                ("NO_OUTPUT", "充电器无输出"),
                ("CABLE", "充电线损坏"),
            ],
        ),
        (
            "HEADSET_FAULT",
            "耳机不能送话或受话",
            [
                ("WIRE", "耳机线断路"),
                ("PLUG", "插头接触不良"),
            ],
        ),
    ],
    "air_compressor": [
        (
            "NO_START",
            "不启动",
            [
                ("POWER", "电源或接线故障"),
                ("PRESSURE_SWITCH", "压力开关故障"),
                ("CAPACITOR", "启动电容损坏"),
                ("MOTOR", "电机烧毁"),
            ],
        ),
        (
            "LOW_PRESSURE",
            "压力不足 / 打气慢",
            [
                ("AIR_LEAK", "管路或接头漏气"),
                ("VALVE", "阀片损坏"),
                ("PISTON_RING", "活塞环磨损"),
                ("FILTER", "空气滤清器堵塞"),
            ],
        ),
        (
            "NO_STOP",
            "不停机 / 安全阀起跳",
            [
                ("PRESSURE_SWITCH", "压力开关失灵"),
                ("SAFETY_VALVE", "安全阀故障"),
            ],
        ),
        (
            "NOISE",
            "异响 / 振动大",
            [
                ("BEARING", "轴承磨损"),
                ("LOOSE", "紧固件松动"),
                ("PISTON", "活塞或连杆磨损"),
            ],
        ),
        (
            "OVERHEAT",
            "过热 / 热保护跳闸",
            [
                ("VENTILATION", "通风不良"),
                ("OIL", "缺油或油质劣化"),
                ("OVERLOAD", "连续超负荷运行"),
            ],
        ),
        (
            "OIL_LEAK",
            "漏油 / 排气带油",
            [
                ("SEAL", "密封件老化"),
                ("OVERFILL", "加油过多"),
                ("PISTON_RING", "活塞环磨损"),
            ],
        ),
    ],
    "flooring": [
        (
            "ARCHING",
            "起拱",
            [
                ("SUBFLOOR_MOISTURE", "地面含水率过高"),
                ("NO_GAP", "伸缩缝预留不足"),
                ("WATER", "浸水或漏水"),
            ],
        ),
        (
            "GAPS",
            "离缝 / 拼缝过大",
            [
                ("DRY", "环境过于干燥"),
                ("INSTALL", "铺装不当"),
                ("LOCK", "锁扣损坏"),
            ],
        ),
        (
            "WARPING",
            "变形 / 翘曲",
            [
                ("DAMP", "受潮"),
                ("MATERIAL", "板材含水率不均"),
            ],
        ),
        (
            "NOISE",
            "行走异响",
            [
                ("SUBFLOOR", "地面不平"),
                ("KEEL", "龙骨松动"),
                ("LOCK", "锁扣摩擦"),
            ],
        ),
        (
            "HEIGHT_DIFF",
            "高低差",
            [
                ("SUBFLOOR", "地面平整度不足"),
                ("MATERIAL", "板材厚度不一"),
            ],
        ),
        (
            "SURFACE",
            "表面磨损、划痕或褪色",
            [
                ("WEAR", "耐磨层磨损"),
                ("COATING", "漆面脱落"),
                ("FADING", "日晒褪色"),
            ],
        ),
    ],
}


def ship(apps, schema_editor):
    """Every category's "other" symptom; the shipped trees for categories without a tree."""
    Category = apps.get_model("catalog", "Category")
    FaultCode = apps.get_model("catalog", "FaultCode")
    for code, name in CATEGORY_NAMES.items():
        Category.objects.get_or_create(code=code, defaults={"name": name})
    for category in Category.objects.all():
        tree = TREES.get(category.code, [])
        if tree and not FaultCode.objects.filter(category=category).exclude(code=OTHER).exists():
            for position, (symptom_code, symptom_name, causes) in enumerate(tree, start=1):
                symptom = FaultCode.objects.create(
                    category=category, code=symptom_code, name=symptom_name, position=position
                )
                FaultCode.objects.bulk_create(
                    FaultCode(
                        category=category,
                        code=f"{symptom_code}.{suffix}",
                        name=cause_name,
                        parent=symptom,
                        position=n,
                    )
                    for n, (suffix, cause_name) in enumerate(causes, start=1)
                )
        FaultCode.objects.get_or_create(
            category=category,
            code=OTHER,
            defaults={"name": OTHER_NAME, "position": OTHER_POSITION},
        )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0007_fault_codes")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
