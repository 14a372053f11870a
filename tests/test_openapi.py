"""GET /v1/openapi.json is valid OpenAPI 3.1, names every route the app has, and the app's
answers — successes and errors — have the statuses and shapes it documents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from helpers import story_page

COPY = "<!DOCTYPE html><html><body><p>copy</p></body></html>"


@pytest.fixture
def spec_app(make_app, tmp_path: Path) -> Flask:
    return make_app(library_dir=str(tmp_path / "lib"), library_max_copy_bytes=4096)


@pytest.fixture
def spec(spec_app) -> dict:
    answer = spec_app.test_client().get("/v1/openapi.json")
    assert answer.status_code == 200
    return answer.json


def operation_of(spec: dict, method: str, path: str) -> tuple[str, dict]:
    """The documented operation a request falls under (its template and description)."""
    for template, item in spec["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", r"[^/]+", template) + "$"
        if re.match(pattern, path) and method.lower() in item:
            return template, item[method.lower()]
    raise AssertionError(f"{method} {path} is not documented")


def resolve(spec: dict, node: dict) -> dict:
    """Follow a local ``$ref``."""
    while "$ref" in node:
        target = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def check_answer(spec: dict, method: str, path: str, response) -> str:
    """Assert the response's status is documented for its operation and its body matches."""
    template, operation = operation_of(spec, method, path.split("?")[0])
    status = str(response.status_code)
    assert status in operation["responses"], (method, path, status, response.data[:300])
    documented = resolve(spec, operation["responses"][status])
    content = documented.get("content", {})
    assert response.mimetype in content, (method, path, response.mimetype)
    schema = content[response.mimetype]["schema"]
    if response.mimetype == "application/json":
        validator = OAS31Validator({**schema, "components": spec["components"]})
        errors = sorted(validator.iter_errors(response.json), key=str)
        assert not errors, (method, path, [e.message for e in errors[:3]])
    return f"{method.lower()} {template}"


def test_spec_is_valid_openapi_and_lists_every_route(spec_app, spec) -> None:
    validate(spec)
    routes = set()
    for rule in spec_app.url_map.iter_rules():
        if rule.rule.startswith("/v1/"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            routes |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(path, method) for path, item in spec["paths"].items() for method in item}
    assert routes == documented


def test_running_app_answers_as_documented(spec_app, spec, seed_page: Path,
                                           anonymous_client) -> None:
    client = spec_app.test_client()
    seen: dict[str, set[str]] = {}

    def call(method: str, path: str, **kwargs):
        response = getattr(client, method.lower())(path, **kwargs)
        operation = check_answer(spec, method, path, response)
        seen.setdefault(operation, set()).add(str(response.status_code))
        return response

    page = seed_page.read_text("utf-8")
    call("GET", "/v1/health")
    call("GET", "/v1/openapi.json")
    call("POST", "/v1/clean", json={"url": "https://japannews.example/a", "html": page})
    call("POST", "/v1/clean", data="{", content_type="application/json")
    call("POST", "/v1/clean", data="x", content_type="text/plain")
    call("POST", "/v1/clean", json={"html": "%PDF-1.4 binary"})
    entry_id = call("POST", "/v1/library", json={"html": page, "copy": COPY}).json["id"]
    call("POST", "/v1/library", json={"html": story_page(), "copy": "x" * 5000})
    call("POST", "/v1/library", json={"html": 3})
    call("GET", "/v1/library?q=takaichi")
    call("GET", "/v1/library?from=never")
    call("GET", "/v1/library/facets")
    call("GET", "/v1/library/quoted?name=Sanae%20Takaichi")
    call("GET", "/v1/library/quoted")
    call("GET", "/v1/library/export?after=0")
    call("GET", "/v1/library/export?after=-1")
    call("GET", f"/v1/library/{entry_id}")
    call("GET", f"/v1/library/{entry_id}/copy")
    call("DELETE", f"/v1/library/{entry_id}")
    call("GET", f"/v1/library/{entry_id}")
    call("GET", f"/v1/library/{entry_id}/copy")
    call("DELETE", f"/v1/library/{entry_id}")
    wrong_method = client.put("/v1/library")  # 405, in the documented error shape
    assert wrong_method.status_code == 405 and "GET" in wrong_method.headers["Allow"]
    assert not list(OAS31Validator(spec["components"]["schemas"]["Error"]).iter_errors(
        wrong_method.json))
    anonymous = anonymous_client.get("/v1/library")
    check_answer(spec, "GET", "/v1/library", anonymous)
    assert anonymous.status_code == 403

    every_operation = {f"{method} {path}" for path, item in spec["paths"].items()
                       for method in item}
    succeeded = {op for op, statuses in seen.items() if any(s.startswith("2") for s in statuses)}
    assert succeeded == every_operation  # every documented operation was seen working
    assert seen["post /v1/library"] >= {"201", "400", "413"}
    assert seen["get /v1/library/{entry_id}"] == {"200", "404"}
