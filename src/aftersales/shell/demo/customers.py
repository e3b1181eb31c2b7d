"""Demo data, customers and their units: the product catalog, people and companies in Shanghai,
Guangzhou and Shenzhen, and units bought from last week to three years ago."""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from aftersales.catalog.models import ProductModel, Unit
from aftersales.catalog.services import category_ensure
from aftersales.customers.models import Customer
from aftersales.customers.rules import normalize_phone

CATEGORIES = [("mobile_phone", "手机"), ("air_compressor", "空气压缩机"), ("flooring", "地板")]
MODELS = [
    ("XH-P50", "星河 P50", "星河", "mobile_phone", Decimal("2999.00")),
    ("XH-P50-PRO", "星河 P50 Pro", "星河", "mobile_phone", Decimal("4299.00")),
    ("QM-A12", "启明 A12", "启明", "mobile_phone", Decimal("1499.00")),
    ("JF-37A", "劲风 JF-37A 螺杆空压机", "劲风", "air_compressor", Decimal("38600.00")),
    ("JF-11V", "劲风 JF-11V 变频空压机", "劲风", "air_compressor", Decimal("16800.00")),
    ("SM-E1", "森木 E1 强化复合地板（100㎡）", "森木", "flooring", Decimal("12800.00")),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰海燕晓东俊峰雪梅文博子涵浩然欣怡宇轩"
DISTRICTS = [
    ("310115", "上海市浦东新区", ["世纪大道", "张杨路", "陆家嘴环路", "川沙路"]),
    ("310104", "上海市徐汇区", ["漕溪北路", "天钥桥路", "衡山路"]),
    ("440106", "广州市天河区", ["天河路", "中山大道西", "黄埔大道"]),
    ("440104", "广州市越秀区", ["北京路", "环市东路", "东风中路"]),
    ("440305", "深圳市南山区", ["科技园南路", "南海大道", "后海大道"]),
    ("440304", "深圳市福田区", ["深南大道", "福华路"]),
]
COMPANIES = [
    "华南精工机械有限公司",
    "浦江纺织有限公司",
    "越秀食品厂",
    "南山电子科技有限公司",
    "天河建材有限公司",
    "申城印刷有限公司",
    "珠江包装制品厂",
    "鹏城精密模具有限公司",
]
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "152",
    "158",
    "159",
    "177",
    "180",
    "186",
    "188",
    "189",
    "199",
]
SELLERS = [
    "星河官方旗舰店",
    "苏宁电器天河店",
    "国美浦东店",
    "劲风工业设备华南经销部",
    "森木地板体验馆",
]


def _imei(rng: random.Random) -> str:
    """A 15-digit IMEI with a valid Luhn check digit."""
    body = "86" + "".join(str(rng.randrange(10)) for _ in range(12))
    total = 0
    for i, ch in enumerate(body):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


def _customer_rows(rng: random.Random, count: int) -> list[dict[str, str]]:
    rows, phones = [], set()
    for i in range(count):
        region, city, streets = rng.choice(DISTRICTS)
        while True:
            phone = f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"
            if phone not in phones:
                phones.add(phone)
                break
        is_org = i % 12 == 0
        name = (
            COMPANIES[(i // 12) % len(COMPANIES)]
            if is_org
            else rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))
        )
        rows.append(
            {
                "kind": "organization" if is_org else "person",
                "name": name,
                "phone": normalize_phone(phone),
                "contact_person": (rng.choice(SURNAMES) + "经理") if is_org else "",
                "address": f"{city}{rng.choice(streets)}{rng.randrange(1, 999)}号",
                "region": region,
            }
        )
    return rows


def load_customers_and_units(rng: random.Random, *, customers: int, units: int) -> None:
    """Categories and models, then `customers` customers, then `units` units (drawn from `rng`)."""
    categories = {code: category_ensure(code=code, name=name) for code, name in CATEGORIES}
    models = []
    for code, name, brand, category, price in MODELS:
        model, _ = ProductModel.objects.get_or_create(
            code=code, defaults={"name": name, "brand": brand, "category": categories[category]}
        )
        models.append((model, price))

    people = []
    for row in _customer_rows(rng, customers):
        customer, _ = Customer.objects.get_or_create(phone=row["phone"], defaults=row)
        people.append(customer)

    today = timezone.localdate()
    for i in range(units):
        model, price = models[i % len(models)]
        owner = people[rng.randrange(len(people))]
        # Mostly older units, some bought in the last days (return/exchange windows), some long expired.
        age = rng.choice(
            [
                rng.randrange(0, 7),
                rng.randrange(7, 16),
                rng.randrange(16, 365),
                rng.randrange(365, 1100),
            ]
        )
        bought = today - timedelta(days=age)
        is_phone = model.category.code == "mobile_phone"
        serial = _imei(rng) if is_phone else f"{model.code.replace('-', '')}{bought:%y%m}{i:05d}"
        Unit.objects.get_or_create(
            serial=serial,
            defaults={
                "model": model,
                "customer": owner,
                "purchase_date": bought,
                "invoice_date": bought,
                "invoice_no": f"{rng.randrange(10**7, 10**8)}",
                "seller": rng.choice(SELLERS),
                "price": price,
                "manufacture_date": bought - timedelta(days=rng.randrange(20, 120)),
                "activation_date": bought if is_phone else None,
            },
        )
