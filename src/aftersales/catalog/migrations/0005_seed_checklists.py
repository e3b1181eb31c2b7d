"""The checklists shipped with the categories the company services beyond the statutory ones:
phones, air compressors and flooring (DOMAIN.md §4: the intake inspection before anything is
opened, the accessories counted in, the quality check of all functions). Administrators edit
them with the category; a category left without a list falls back to a short generic one."""

from django.db import migrations

CATEGORY_NAMES = {"mobile_phone": "手机", "air_compressor": "空气压缩机", "flooring": "地板"}

# category → kind → [(name, English name)], in the order they are checked.
CHECKLISTS = {
    "mobile_phone": {
        "intake": [
            ("外观（划痕、磕碰、裂纹）", "Casing: scratches, dents, cracks"),
            ("屏幕（碎裂、亮点、漏液）", "Screen: cracks, bright spots, leaks"),
            ("按键", "Buttons"),
            ("摄像头镜片", "Camera lens"),
            ("充电接口", "Charging port"),
            ("卡托", "SIM tray"),
        ],
        "accessory": [
            ("充电器", "Charger"),
            ("数据线", "Cable"),
            ("耳机", "Earphones"),
            ("包装盒", "Box"),
            ("保护壳", "Case"),
            ("SIM卡", "SIM card"),
            ("存储卡", "Memory card"),
        ],
        "qc": [
            ("开机", "Powers on"),
            ("通话", "Calls"),
            ("充电", "Charging"),
            ("屏幕与触控", "Screen and touch"),
            ("按键", "Buttons"),
            ("摄像头", "Camera"),
            ("声音（听筒、扬声器、麦克风）", "Sound: earpiece, speaker, microphone"),
            ("网络与Wi-Fi", "Network and Wi-Fi"),
            ("外观", "Appearance"),
        ],
    },
    "air_compressor": {
        "intake": [
            ("机身外观（磕碰、变形）", "Body: dents, deformation"),
            ("储气罐（锈蚀、凹陷）", "Air tank: rust, dents"),
            ("压力表", "Pressure gauge"),
            ("安全阀", "Safety valve"),
            ("电源线与插头", "Power cord and plug"),
            ("油位与漏油", "Oil level and leaks"),
            ("铭牌与序列号", "Nameplate and serial number"),
        ],
        "accessory": [
            ("气管", "Air hose"),
            ("快速接头", "Quick coupler"),
            ("空气滤清器", "Air filter"),
            ("说明书", "Manual"),
        ],
        "qc": [
            ("通电启动", "Starts when powered"),
            ("电机运转与噪音", "Motor running and noise"),
            ("打气至额定压力", "Reaches rated pressure"),
            ("压力开关自动启停", "Pressure switch starts and stops"),
            ("安全阀泄压", "Safety valve releases"),
            ("保压不漏气", "Holds pressure, no leaks"),
            ("排水阀", "Drain valve"),
            ("电流与温升", "Current and temperature rise"),
            ("外观", "Appearance"),
        ],
    },
    "flooring": {
        "intake": [
            ("地板型号与批次", "Floor model and batch"),
            ("铺装面积", "Laid area"),
            ("表面（划痕、磨损、色差）", "Surface: scratches, wear, colour difference"),
            ("起拱与变形", "Arching and warping"),
            ("拼缝与高低差", "Joints and height differences"),
            ("受潮与水渍", "Damp and water marks"),
            ("踢脚线与收边条", "Skirting and edge strips"),
            ("地面平整度与含水率", "Subfloor flatness and moisture"),
        ],
        "accessory": [],
        "qc": [
            ("表面平整、无高低差", "Surface flat, no height differences"),
            ("拼缝严密", "Joints tight"),
            ("行走无异响", "No noise when walked on"),
            ("无起拱", "No arching"),
            ("伸缩缝预留", "Expansion gaps kept"),
            ("踢脚线与收边牢固", "Skirting and edges fixed"),
            ("表面清洁", "Surface clean"),
        ],
    },
}


def seed(apps, schema_editor):
    """Add the shipped lists to categories that have none of that kind (never twice, never over
    an administrator's edits)."""
    Category = apps.get_model("catalog", "Category")
    ChecklistItem = apps.get_model("catalog", "ChecklistItem")
    for code, lists in CHECKLISTS.items():
        category, _created = Category.objects.get_or_create(
            code=code, defaults={"name": CATEGORY_NAMES[code]}
        )
        for kind, items in lists.items():
            if ChecklistItem.objects.filter(category=category, kind=kind).exists():
                continue
            ChecklistItem.objects.bulk_create(
                ChecklistItem(category=category, kind=kind, name=name, name_en=english, position=n)
                for n, (name, english) in enumerate(items, start=1)
            )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_category_checklists")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
