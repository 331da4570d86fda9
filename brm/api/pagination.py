from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError

from brm.db.plans import OfficePaginator

from .filters import StrictIntegerField

# No page can lie past this many rows, and a page number past 64 bits would only be parsed to be
# refused: the bound keeps huge numbers a plain 400.
_MAX_NUMBER = 2**63 - 1


class PageNumberPagination(pagination.PageNumberPagination):
    """`{"count", "next", "previous", "results"}`; 50 a page, `?page_size=` up to 200.

    `page` and `page_size` are whole numbers from 1; anything else answers 400 naming the
    parameter (DRF would answer 404 for a malformed page and ignore a malformed page size). A page
    past the last answers 404. A page size above 200 is cut to 200.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = OfficePaginator
    last_page_strings = ()  # `page=last` is not a number the schema allows

    def _number(self, request, name):
        if name not in request.query_params:
            return None
        field = StrictIntegerField(min_value=1, max_value=_MAX_NUMBER)
        try:
            return field.clean(request.query_params[name])
        except forms.ValidationError as exc:
            raise ValidationError({name: exc.messages}) from exc

    def get_page_number(self, request, paginator):
        return self._number(request, self.page_query_param) or 1

    def get_page_size(self, request):
        size = self._number(request, self.page_size_query_param)
        if size is None:
            return self.page_size
        return min(size, self.max_page_size)

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["description"] = str(
            _(
                "One page of a list: `count` rows in all (with the filters given), the links to "
                "the next and previous pages, and this page's `results`."
            )
        )
        return paginated

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": _MAX_NUMBER}
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = str(
                    _("Rows a page, 50 unless given; a number above 200 is taken as 200.")
                )
            else:
                parameter["description"] = str(
                    _("A page number from 1; a page past the last answers 404.")
                )
        return parameters
