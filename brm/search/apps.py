from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "brm.search"
    label = "search"
    verbose_name = "Search"
