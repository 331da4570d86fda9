"""A URL configuration with no pages: links to pages cannot be made."""

urlpatterns: list = []
