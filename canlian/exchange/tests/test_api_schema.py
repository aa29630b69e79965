"""Generated requests against the published OpenAPI document: no operation ever answers with a server error."""

from datetime import date

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from canlian.exchange import tokens
from canlian.exchange.api import api
from canlian.exchange.models import ApiCall, DepartmentToken
from canlian.registry.tests.factories import make_areas, make_certificate, make_person, make_user
from canlian.wsgi import application

# The document as /api/v1/openapi.json serves it, read without a request: collection has no database to log a call
# in. (schemathesis.pytest.from_fixture would load it in a test, but it fails under pytest 9: no Node._nodeid.)
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
schema.app = application  # as from_wsgi does: every generated request goes through the WSGI app in this process


@pytest.fixture
def api_token(transactional_db, settings, tmp_path) -> str:
    """A token with every scope over the city, where a person with a card matches the document's example row."""
    settings.IMPORT_DIR = tmp_path / "imports"
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000  # the fuzzer calls far faster than a department may
    areas = make_areas()
    officer = make_user("officer", "federation_officer", [areas["city"]])
    person = make_person(by=officer, area=areas["beijiang"], birth=date(1980, 1, 1), sequence=11)
    make_certificate(person=person, by=officer)
    _token, raw = tokens.department_token_create(department="测试部门", scopes=DepartmentToken.Scope.values,
                                                 areas=[areas["city"]], acting_user=officer)
    return raw


@schema.parametrize()
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_no_operation_answers_with_a_server_error(case, api_token):
    before = ApiCall.objects.count()
    case.call_and_validate(headers={"Authorization": f"Bearer {api_token}"}, checks=[not_a_server_error])
    assert ApiCall.objects.count() > before  # the request really reached the API (and was logged)
