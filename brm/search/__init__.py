"""One search box for staff and the portal: each area registers what it makes searchable
(brm.search.registry.search_kinds); the pages here ask every kind shown to the reader."""
