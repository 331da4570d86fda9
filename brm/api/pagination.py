from rest_framework import pagination

from brm.db.plans import OfficePaginator


class PageNumberPagination(pagination.PageNumberPagination):
    """`{"count", "next", "previous", "results"}`; 50 a page, `?page_size=` up to 200."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = OfficePaginator
