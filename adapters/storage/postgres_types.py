"""Whether an object belongs to a PostgreSQL store, asked without importing
PostgreSQL's driver.

``eventsourcing.postgres`` and psycopg take a fifth of a CLI command's start,
and a process that opened an SQLite store never needs them. Nothing can be an
instance of a class whose module was never imported, so these checks look
for the classes only where they already are: in ``sys.modules``.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TypeGuard

if TYPE_CHECKING:
    from eventsourcing.postgres import PostgresAggregateRecorder, PostgresApplicationRecorder, PostgresDatastore

_MODULE = "eventsourcing.postgres"


def _instance_of(candidate: object, class_name: str) -> bool:
    module = sys.modules.get(_MODULE)
    return module is not None and isinstance(candidate, getattr(module, class_name))


def is_postgres_datastore(candidate: object) -> TypeGuard[PostgresDatastore]:
    return _instance_of(candidate, "PostgresDatastore")


def is_postgres_recorder(candidate: object) -> TypeGuard[PostgresAggregateRecorder]:
    return _instance_of(candidate, "PostgresAggregateRecorder")


def is_postgres_application_recorder(candidate: object) -> TypeGuard[PostgresApplicationRecorder]:
    return _instance_of(candidate, "PostgresApplicationRecorder")
