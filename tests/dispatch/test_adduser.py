"""`aftersales adduser`: a staff user with one role and a center."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from aftersales.core.roles import role_of
from tests.factories import CenterFactory


def test_adduser_creates_a_staff_user_with_one_role_and_a_center(db):
    CenterFactory(code="sz-branch")

    call_command(
        "adduser",
        "wangli",
        "--role",
        "front_desk",
        "--password",
        "pw-123456",
        "--center",
        "sz-branch",
    )
    call_command("adduser", "wangli", "--role", "branch_manager", "--password", "pw-123456")

    user = User.objects.get(username="wangli")
    assert role_of(user) == "branch_manager"
    assert user.check_password("pw-123456")
    assert user.staff_profile.center.code == "sz-branch"  # kept when --center is not given


def test_adduser_refuses_an_unknown_center(db):
    with pytest.raises(CommandError, match="nowhere"):
        call_command(
            "adduser", "wangli", "--role", "front_desk", "--password", "pw", "--center", "nowhere"
        )
    assert not User.objects.filter(username="wangli").exists()


def test_adduser_refuses_a_weak_password_in_the_validators_words(db):
    with pytest.raises(CommandError) as refused:
        call_command("adduser", "wangli", "--role", "front_desk", "--password", "1")

    message = str(refused.value)
    assert "密码长度太短。密码必须包含至少 8 个字符。" in message
    assert "这个密码太常见了。" in message
    assert not User.objects.filter(username="wangli").exists()


def test_adduser_refuses_a_password_like_the_username(db):
    with pytest.raises(CommandError, match="密码跟 用户名 太相似了。"):
        call_command("adduser", "wangli2026", "--role", "hotline", "--password", "wangli2026")
