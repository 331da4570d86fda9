"""Out-of-range and malformed filter, sort and page values answer 400 naming the parameter.

The range is checked before any query: SQLite cannot bind an integer past 64 bits (the driver
raises OverflowError, a 500), so the check must not rely on the database refusing it.
"""

import pytest

from brm.api.filters import IdField, StrictBooleanField
from brm.api.pagination import PageNumberPagination
from customers.api.filters import CustomerFilterSet
from customers.models import Customer

pytestmark = pytest.mark.django_db

ID_LISTS = [
    ("/api/v1/customers/", "relationship_manager"),
    ("/api/v1/purchasers/", "customer"),
    ("/api/v1/contacts/", "customer"),
    ("/api/v1/contacts/", "purchaser"),
    ("/api/v1/expectations/", "customer"),
    ("/api/v1/register-items/", "customer"),
    ("/api/v1/register-items/", "owner"),
    ("/api/v1/action-items/", "customer"),
    ("/api/v1/action-items/", "owner"),
    ("/api/v1/action-items/", "owner_contact"),
]


def _refused(response, name):
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert name in error["fields"], error
    return error["fields"][name]


@pytest.mark.parametrize("path,name", ID_LISTS)
@pytest.mark.parametrize(
    "value", ["-8.6e192", "-1.1e265", str(2**63), "0", "-1", "0.0", "1.0", "1e3", "abc", ""]
)
def test_id_filter_outside_the_ids_or_not_a_whole_number_is_400(read_client_a, path, name, value):
    _refused(read_client_a.get(path, {name: value}), name)


@pytest.mark.parametrize("path,name", ID_LISTS)
def test_id_filter_takes_the_largest_id(read_client_a, path, name):
    response = read_client_a.get(path, {name: str(2**63 - 1)})
    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.parametrize("value", ["-8.6e192", str(2**63), "99999999999999999999999999"])
def test_the_range_is_refused_by_the_form_before_any_query(value, django_assert_num_queries):
    with django_assert_num_queries(0):
        filterset = CustomerFilterSet(
            data={"relationship_manager": value}, queryset=Customer.all_tenants.none()
        )
        assert not filterset.is_valid()
    assert "relationship_manager" in filterset.errors


def test_id_field_bounds_are_the_signed_64_bit_ids():
    field = IdField(required=False)
    assert field.clean("1") == 1
    assert field.clean(str(2**63 - 1)) == 2**63 - 1
    for value in ("0", str(2**63), "1" * 300, " 1 ", "+-1"):
        with pytest.raises(Exception, match="between|whole number|greater|less"):
            field.clean(value)


@pytest.mark.parametrize("value", [",,,", "name,", ",name", "bogus", "name,,division"])
def test_ordering_with_an_empty_or_unknown_key_is_400(read_client_a, value):
    _refused(read_client_a.get("/api/v1/customers/", {"ordering": value}), "ordering")


def test_ordering_by_known_keys_still_works(read_client_a):
    assert read_client_a.get("/api/v1/customers/", {"ordering": "-name,status"}).status_code == 200


@pytest.mark.parametrize(
    "path,name",
    [
        ("/api/v1/customers/", "status"),
        ("/api/v1/action-items/", "due_before"),
        ("/api/v1/register-items/", "review_before"),
        ("/api/v1/members/", "role"),
        ("/api/v1/members/", "is_active"),
    ],
)
def test_a_parameter_given_without_a_value_is_400_unless_it_is_text(read_client_a, path, name):
    _refused(read_client_a.get(f"{path}?{name}="), name)


def test_an_empty_text_filter_is_no_filter(read_client_a):
    assert read_client_a.get("/api/v1/customers/?search=&division=").status_code == 200


@pytest.mark.parametrize("value", ["yes", "1", "maybe", "True1"])
def test_boolean_filter_takes_true_or_false_only(read_client_a, value):
    _refused(read_client_a.get("/api/v1/members/", {"is_active": value}), "is_active")
    assert StrictBooleanField().clean("TRUE") is True
    assert read_client_a.get("/api/v1/members/", {"is_active": "false"}).status_code == 200


@pytest.mark.parametrize("name", ["page", "page_size"])
@pytest.mark.parametrize("value", ["0", "-1", "1.0", "abc", "last", "", "-8.6e192", "9" * 40])
def test_malformed_page_or_page_size_is_400_naming_it(read_client_a, name, value):
    _refused(read_client_a.get("/api/v1/members/", {name: value}), name)


def test_page_size_cap_and_largest_page_are_not_errors(read_client_a):
    assert read_client_a.get("/api/v1/members/?page_size=100000").status_code == 200
    response = read_client_a.get(f"/api/v1/members/?page={2**63 - 1}")
    assert response.status_code == 404  # a page past the last, as documented
    assert PageNumberPagination.max_page_size == 200
