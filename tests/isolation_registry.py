"""Importing this module fills the isolation registries of tests/isolation.py and tests/api/.

The registrations themselves live beside each area's tests, in tests/<area>/isolation_cases.py.
"""

from tests.isolation import load_isolation_cases

MODULES = load_isolation_cases()
