"""Demo data loaded once for a test module and rolled back after it: the registry demo takes most of a minute."""

from contextlib import contextmanager

from django.db import transaction


class _Rollback(Exception):
    pass


@contextmanager
def rolled_back(django_db_blocker):
    """In a module-scoped fixture: what is loaded inside stays for the module's tests, then is rolled back."""
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                yield
                raise _Rollback
        except _Rollback:
            pass
