"""The import page in the admin: upload, a progress bar that validates as it polls, confirm, counts."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from aftersales.catalog import services
from aftersales.catalog.models import ImportJob, Unit
from aftersales.core.models import Event
from aftersales.customers.models import Customer
from tests.catalog.test_import import HEADER, bad_file, csv_bytes, xlsx_bytes
from tests.factories import ProductModelFactory, UnitFactory, make_staff

# The dates written into the data below are in the past on this day.
pytestmark = pytest.mark.clock("2026-11-23T10:00:00+08:00")

ADD = reverse("admin:catalog_importjob_add")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def phone_model(db):
    return ProductModelFactory(code="XH-P50")


def browser(username, role, center=None):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")  # the pages' text is checked in English
    client.force_login(make_staff(username, role, center))
    return client


def upload(client, name, data):
    return client.post(ADD, {"file": SimpleUploadedFile(name, data)})


def poll_until_checked(client, job):
    url = reverse("admin:catalog_importjob_validate", args=[job.pk])
    for _ in range(10):
        page = client.post(url, HTTP_HX_REQUEST="true")
        assert page.status_code == 200
        job.refresh_from_db()
        if job.status != ImportJob.Status.VALIDATING:
            return page
    raise AssertionError("validation never finished")


def test_an_admin_uploads_watches_the_check_and_imports(phone_model, media):
    admin = browser("boss", "admin")
    data = xlsx_bytes(
        [
            HEADER,
            ["张三", "13800138000", "", "", "", "SN-1", "XH-P50", "2026-03-01", ""],
            ["李四", "13900139000", "单位", "", "", "", "", "", ""],
        ]
    )

    assert admin.get(ADD).status_code == 200
    uploaded = upload(admin, "客户.xlsx", data)
    job = ImportJob.objects.get()
    assert uploaded.url == reverse("admin:catalog_importjob_change", args=[job.pk])
    assert (job.status, job.total_rows, job.filename) == ("validating", 2, "客户.xlsx")
    assert (media / job.file.name).read_bytes() == data

    page = admin.get(uploaded.url)
    assert b"<progress" in page.content and b'hx-trigger="every 1s"' in page.content

    checked = poll_until_checked(admin, job)
    assert b"<progress" not in checked.content and b'value="strict"' in checked.content
    assert not Customer.objects.exists()  # checking imports nothing

    done = admin.post(reverse("admin:catalog_importjob_import", args=[job.pk]), {"mode": "strict"})

    job.refresh_from_db()
    assert done.status_code == 302 and job.status == "imported"
    assert (job.rows_imported, job.customers_created, job.customers_reused, job.units_created) == (
        2,
        2,
        0,
        1,
    )
    assert Unit.objects.get().customer.name == "张三"
    assert not job.rows_file and job.file  # the working copy is gone, the upload stays on record
    result = admin.get(done.url).content.decode()
    assert "2 customers created" in result and "1 unit created" in result
    timeline = Event.objects.filter(content_type__model="importjob", object_id=job.pk)
    assert list(timeline.values_list("action", flat=True)) == [
        "created",
        "validated",
        "started",
        "imported",
    ]


def test_front_desk_sees_the_errors_and_imports_only_the_good_rows_after_confirming(
    phone_model, center
):
    desk = browser("wangli", "front_desk", center)
    upload(desk, "customers.csv", bad_file())
    job = ImportJob.objects.get()

    page = poll_until_checked(desk, job).content.decode()

    assert job.error_rows == 4 and job.good_rows == 2
    assert "<td>3</td><td>电话</td>" in page and "<td>4</td><td>型号</td>" in page
    assert 'value="strict"' not in page and 'value="good_rows_only"' in page

    refused = desk.post(
        reverse("admin:catalog_importjob_import", args=[job.pk]), {"mode": "strict"}
    )
    assert refused.status_code == 302 and not Customer.objects.exists()

    desk.post(reverse("admin:catalog_importjob_import", args=[job.pk]), {"mode": "good_rows_only"})

    job.refresh_from_db()
    assert (job.status, job.mode, job.rows_imported) == ("imported", "good_rows_only", 2)
    assert set(Customer.objects.values_list("name", flat=True)) == {"张三", "孙七"}
    assert job.created_by.username == "wangli"


def test_an_import_runs_once_however_often_it_is_confirmed(phone_model):
    admin = browser("boss", "admin")
    upload(
        admin,
        "c.csv",
        csv_bytes([HEADER, ["张三", "13800138000", "", "", "", "SN-1", "XH-P50", "", ""]]),
    )
    job = ImportJob.objects.get()
    poll_until_checked(admin, job)
    url = reverse("admin:catalog_importjob_import", args=[job.pk])

    admin.post(url, {"mode": "strict"})
    admin.post(url, {"mode": "strict"})

    assert Event.objects.filter(content_type__model="importjob", action="imported").count() == 1
    assert Unit.objects.count() == 1


def test_validation_goes_chunk_by_chunk_and_collects_errors_across_chunks(phone_model):
    clerk = make_staff("clerk", "admin")
    data = csv_bytes(
        [
            HEADER,
            ["张三", "13800138000", "", "", "", "SN-1", "XH-P50", "", ""],
            ["李四", "bad", "", "", "", "", "", "", ""],
            ["王五", "13700137000", "", "", "", "SN-3", "XH-P50", "", ""],
            [
                "张三",
                "13800138000",
                "",
                "",
                "",
                "SN-4",
                "XH-P50",
                "",
                "",
            ],  # the same customer, next chunk
            ["赵六", "13600136000", "", "", "", "SN-1", "XH-P50", "", ""],  # row 2's serial
        ]
    )
    job = services.import_job_start(by=clerk, upload=io.BytesIO(data), filename="c.csv")

    progress = []
    while job.status == "validating":
        job = services.import_job_validate_next(job=job, by=clerk, max_rows=2)
        progress.append(job.validated_rows)

    assert progress == [2, 4, 5]
    assert [(e["row"], e["column"]) for e in job.errors] == [
        (2, "序列号"),
        (3, "电话"),
        (6, "序列号"),
    ]
    assert job.error_rows == 3 and not Customer.objects.exists()

    job = services.import_job_run(job=job, by=clerk, mode="good_rows_only")
    assert (job.customers_created, job.units_created) == (2, 2)


def test_a_broken_file_is_refused_on_the_page_not_with_a_500(db):
    admin = browser("boss", "admin")

    page = upload(admin, "photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

    assert page.status_code == 200
    assert "not a CSV or XLSX file" in page.content.decode()
    assert not ImportJob.objects.exists()


def test_discarding_an_import_imports_nothing(phone_model):
    admin = browser("boss", "admin")
    upload(admin, "c.csv", csv_bytes([HEADER, ["张三", "13800138000", "", "", "", "", "", "", ""]]))
    job = ImportJob.objects.get()
    poll_until_checked(admin, job)

    admin.post(reverse("admin:catalog_importjob_cancel", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == "cancelled" and not Customer.objects.exists()
    refused = admin.post(
        reverse("admin:catalog_importjob_import", args=[job.pk]), {"mode": "strict"}
    )
    assert refused.status_code == 302 and not Customer.objects.exists()


def test_staff_without_the_permissions_get_403_and_nothing_changes(phone_model, center):
    dispatcher = browser("chen", "dispatcher", center)

    assert dispatcher.get(ADD).status_code == 403
    assert (
        upload(
            dispatcher, "c.csv", csv_bytes([["姓名", "电话"], ["张三", "13800138000"]])
        ).status_code
        == 403
    )
    assert dispatcher.get(reverse("admin:catalog_importjob_changelist")).status_code == 403
    assert not ImportJob.objects.exists() and not Customer.objects.exists()


def test_each_user_sees_only_their_own_imports(phone_model, center):
    admin = browser("boss", "admin")
    upload(admin, "c.csv", csv_bytes([["姓名", "电话"], ["张三", "13800138000"]]))
    job = ImportJob.objects.get()
    desk = browser("wangli", "front_desk", center)

    assert desk.get(reverse("admin:catalog_importjob_change", args=[job.pk])).status_code == 404
    assert (
        desk.post(
            reverse("admin:catalog_importjob_import", args=[job.pk]), {"mode": "strict"}
        ).status_code
        == 404
    )
    assert b"c.csv" not in desk.get(reverse("admin:catalog_importjob_changelist")).content
    job.refresh_from_db()
    assert job.status == "validating"


def test_the_customer_list_links_to_the_import_page(db, center):
    page = browser("wangli", "front_desk", center).get(
        reverse("admin:customers_customer_changelist")
    )

    assert ADD in page.content.decode()


def test_a_slow_poll_stops_at_its_time_budget_and_the_next_goes_on(phone_model):
    clerk = make_staff("clerk", "admin")
    data = csv_bytes([["姓名", "电话"], *[[f"客户{i}", f"139{i:08d}"] for i in range(120)]])
    job = services.import_job_start(by=clerk, upload=io.BytesIO(data), filename="c.csv")

    job = services.import_job_validate_next(job=job, by=clerk, seconds=0)

    assert (job.status, job.validated_rows) == ("validating", services.TRIAL_BATCH)
    while job.status == "validating":
        job = services.import_job_validate_next(job=job, by=clerk)
    assert (job.validated_rows, job.error_rows) == (120, 0)


def test_a_job_whose_rows_are_gone_fails_instead_of_polling_forever(phone_model, media):
    admin = browser("boss", "admin")
    upload(admin, "c.csv", csv_bytes([["姓名", "电话"], ["张三", "13800138000"]]))
    job = ImportJob.objects.get()
    (media / job.rows_file.name).unlink()

    page = admin.post(
        reverse("admin:catalog_importjob_validate", args=[job.pk]), HTTP_HX_REQUEST="true"
    )

    job.refresh_from_db()
    assert job.status == "failed"
    assert "This import failed" in page.content.decode() and b"every 1s" not in page.content


def test_a_serial_registered_after_the_check_stops_the_strict_import_at_its_row(phone_model):
    admin = browser("boss", "admin")
    upload(
        admin,
        "c.csv",
        csv_bytes(
            [
                HEADER,
                ["张三", "13800138000", "", "", "", "SN-1", "XH-P50", "", ""],
                ["李四", "13900139000", "", "", "", "SN-2", "XH-P50", "", ""],
            ]
        ),
    )
    job = ImportJob.objects.get()
    poll_until_checked(admin, job)
    assert job.error_rows == 0
    UnitFactory(serial="SN-2", model=phone_model)  # someone registers it meanwhile
    url = reverse("admin:catalog_importjob_import", args=[job.pk])

    page = admin.post(url, {"mode": "strict"}, follow=True).content.decode()

    job.refresh_from_db()
    assert (job.status, job.error_rows, job.rows_imported) == ("stopped", 1, 0)
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "序列号")]
    assert "The import stopped at row 3" in page and 'value="good_rows_only"' in page
    imported = Customer.objects.filter(name__in=["张三", "李四"])
    assert not imported.exists()  # its batch went back whole: strict, nothing half done

    admin.post(url, {"mode": "good_rows_only"})

    job.refresh_from_db()
    assert (job.status, job.rows_imported, job.error_rows) == ("imported", 1, 1)
    assert list(imported.values_list("name", flat=True)) == ["张三"]
