"""portal pages of the customers area (routes under /t/<slug>/)."""

urlpatterns: list = []
