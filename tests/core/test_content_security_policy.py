"""Every answer carries the Content-Security-Policy, and no page needs what it refuses: an inline
script, an event-handler attribute, an inline <style>, or eval behind an htmx trigger's filter.
(The browser test tests/e2e/test_content_security_policy.py shows the pages working under it.)"""

import re
from pathlib import Path

import aftersales
from tests.factories import make_staff

TEMPLATES = Path(aftersales.__file__).parent

# What a template may not hold, each with why the policy refuses it.
REFUSED = {
    "an inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>"),
    "an event-handler attribute": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "an inline <style>": re.compile(r"<style\b"),
    "an hx-on handler (eval)": re.compile(r"\bhx-on"),
    "an htmx trigger filter (eval)": re.compile(r"hx-trigger=\"[^\"]*\["),
    "a javascript: or js: value (eval)": re.compile(r"=\s*[\"']\s*(javascript|js):"),
}
# Template comments never reach the browser: blanked out, their lines kept for the line numbers.
COMMENT = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)


def test_every_answer_carries_the_policy(client, settings, db):
    policy = settings.CONTENT_SECURITY_POLICY
    login_page = client.get("/login/")
    api_refusal = client.get("/api/v1/tickets")
    client.force_login(make_staff("wangli", "front_desk"))
    workbench = client.get("/")
    not_found = client.get("/no-such-page/")

    assert (login_page.status_code, api_refusal.status_code) == (200, 401)
    assert (workbench.status_code, not_found.status_code) == (200, 404)
    for answer in (login_page, api_refusal, workbench, not_found):
        assert answer["Content-Security-Policy"] == policy
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def test_the_policy_is_a_setting_and_an_empty_one_sends_none(client, settings, db):
    settings.CONTENT_SECURITY_POLICY = "default-src 'none'"
    assert client.get("/login/")["Content-Security-Policy"] == "default-src 'none'"

    settings.CONTENT_SECURITY_POLICY = ""
    assert "Content-Security-Policy" not in client.get("/login/")


def test_no_template_needs_what_the_policy_refuses():
    found = []
    for template in sorted(TEMPLATES.rglob("templates/**/*.html")):
        text = COMMENT.sub(lambda c: "\n" * c.group().count("\n"), template.read_text("utf-8"))
        for what, pattern in REFUSED.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{template.relative_to(TEMPLATES)}:{line}: {what}")
    assert found == []
