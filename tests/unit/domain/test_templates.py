"""Saved-reply templates: variables, fallbacks, and typos left visible."""

from __future__ import annotations

import pytest

from cm_console.domain.templates import VARIABLES, render


@pytest.mark.parametrize(
    ("template", "values", "expected"),
    [
        ("Hi {author|there}", {"author": "Anouk"}, "Hi Anouk"),
        ("Hi {author|there}", {}, "Hi there"),
        ("Hi {author|there}", {"author": None}, "Hi there"),
        ("Hi {author|there}", {"author": ""}, "Hi there"),
        ("Hi {author|}!", {}, "Hi !"),
        ("Hi {author}", {}, "Hi {author}"),
        ("Hi {autor}", {"author": "Anouk"}, "Hi {autor}"),
        (
            "{me} in {community} on {platform}",
            {"me": "Jeroen", "community": "HR"},
            "Jeroen in HR on {platform}",
        ),
        ("{title|this topic}: {author_first|}", {"title": "VPN", "author_first": "Bo"}, "VPN: Bo"),
        ("Braces {} and {Author} stay", {"author": "x"}, "Braces {} and {Author} stay"),
        ("{author|a|b}", {}, "a|b"),
        ("no variables", {"author": "x"}, "no variables"),
    ],
)
def test_render(template: str, values: dict[str, str | None], expected: str) -> None:
    assert render(template, values) == expected


def test_values_are_not_templates_themselves() -> None:
    assert render("Hi {author}", {"author": "{me}", "me": "Jeroen"}) == "Hi {me}"


def test_every_declared_variable_renders() -> None:
    template = " ".join(f"{{{name}}}" for name in VARIABLES)
    values = {name: name.upper() for name in VARIABLES}
    assert render(template, values) == " ".join(values.values())
