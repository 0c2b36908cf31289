"""Where the log lives: an SQLite path by default, or a PostgreSQL URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from citycoop.adapters.storage.location import STORE_VARIABLE, StoreLocation, default_store
from citycoop.domain.errors import InvalidValueError


def test_the_default_store_is_citycoop_db_under_the_xdg_data_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", "/srv/data")
    assert default_store() == "/srv/data/citycoop/citycoop.db"


def test_without_xdg_data_home_the_store_is_under_local_share(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_store() == str(tmp_path / ".local" / "share" / "citycoop" / "citycoop.db")


def test_a_given_store_wins_over_the_environment_variable_which_wins_over_the_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(STORE_VARIABLE, "/var/lib/citycoop/from-env.db")
    assert StoreLocation.from_environment("/tmp/given.db").location == "/tmp/given.db"
    assert StoreLocation.from_environment().location == "/var/lib/citycoop/from-env.db"
    monkeypatch.delenv(STORE_VARIABLE)
    assert StoreLocation.from_environment().location == default_store()


def test_naming_an_sqlite_store_creates_nothing(tmp_path: Path) -> None:
    environment = StoreLocation(str(tmp_path / "wuxi" / "citycoop.db")).environment()
    assert not (tmp_path / "wuxi").exists(), "the folder is made by the first write (adapters/storage/new_store.py)"
    assert environment["PERSISTENCE_MODULE"] == "citycoop.adapters.storage.sqlite:SQLiteFactory"
    assert environment["SQLITE_DBNAME"] == str(tmp_path / "wuxi" / "citycoop.db")


def test_an_sqlite_path_that_is_a_directory_is_refused_naming_the_store(tmp_path: Path) -> None:
    with pytest.raises(InvalidValueError, match=rf"^store: {tmp_path} is a directory, not an SQLite file$"):
        StoreLocation(str(tmp_path)).environment()


def test_a_postgresql_url_names_host_port_database_user_and_schema() -> None:
    location = StoreLocation("postgresql://clerk:s%40cret@db.wuxi.example:5433/citycoop?schema=wuxi_singapore")
    assert location.is_postgres
    environment = location.environment()
    assert {key: environment[key] for key in environment if key.startswith("POSTGRES_") and "TIMEOUT" not in key} == {
        "POSTGRES_DBNAME": "citycoop",
        "POSTGRES_HOST": "db.wuxi.example",
        "POSTGRES_PORT": "5433",
        "POSTGRES_USER": "clerk",
        "POSTGRES_PASSWORD": "s@cret",
        "POSTGRES_SCHEMA": "wuxi_singapore",
    }


def test_a_postgresql_url_without_port_or_schema_uses_5432_and_public() -> None:
    environment = StoreLocation("postgres://postgres@127.0.0.1/test").environment()
    assert (environment["POSTGRES_PORT"], environment["POSTGRES_SCHEMA"]) == ("5432", "public")


@pytest.mark.parametrize("url", ["postgresql://127.0.0.1", "postgresql:///test"])
def test_a_postgresql_url_without_host_or_database_is_refused(url: str) -> None:
    with pytest.raises(InvalidValueError, match=r"^store: a PostgreSQL URL needs a host and a database name$"):
        StoreLocation(url).environment()


def test_a_password_never_appears_when_the_store_is_described() -> None:
    location = StoreLocation("postgresql://clerk:s3cret@db.wuxi.example/citycoop")
    assert location.describe() == "postgresql://clerk:***@db.wuxi.example/citycoop"
    assert StoreLocation("/tmp/citycoop.db").describe() == "/tmp/citycoop.db"


@pytest.mark.parametrize("scheme", ["POSTGRESQL", "PostgreSQL", "Postgres"])
def test_a_url_scheme_is_recognised_in_any_case(scheme: str) -> None:
    location = StoreLocation(f"{scheme}://clerk:s3cretPW@db.wuxi.example/citycoop")
    assert location.is_postgres
    assert location.sqlite_path is None
    assert location.environment()["POSTGRES_PASSWORD"] == "s3cretPW"
    assert location.describe() == f"{scheme}://clerk:***@db.wuxi.example/citycoop"


def test_a_url_of_another_scheme_is_refused_not_taken_for_a_file() -> None:
    location = StoreLocation("mysql://clerk:s3cretPW@db.wuxi.example/citycoop")
    assert location.sqlite_path is None
    with pytest.raises(InvalidValueError, match=r"^store: mysql:// names no kind of store"):
        location.environment()


@pytest.mark.parametrize(
    ("port", "problem"),
    [
        ("99999", "its port must be a number from 1 to 65535"),
        ("0", "its port must be a number from 1 to 65535"),
        ("abc", "its port must be a number from 1 to 65535"),
    ],
)
def test_a_bad_port_is_refused_in_one_line_with_the_password_masked(port: str, problem: str) -> None:
    location = StoreLocation(f"postgresql://clerk:s3cretPW@db.wuxi.example:{port}/citycoop")
    with pytest.raises(InvalidValueError) as refused:
        location.environment()
    assert str(refused.value) == (
        f"store: postgresql://clerk:***@db.wuxi.example:{port}/citycoop is not a valid PostgreSQL URL: {problem}"
    )


def test_a_url_that_does_not_parse_is_refused_and_still_masked() -> None:
    with pytest.raises(InvalidValueError) as refused:
        StoreLocation("postgresql://clerk:s3cretPW@[::1/citycoop").environment()
    assert (
        str(refused.value)
        == "store: postgresql://clerk:***@[::1/citycoop is not a valid PostgreSQL URL: Invalid IPv6 URL"
    )


def test_a_password_given_as_a_parameter_is_used_and_masked() -> None:
    location = StoreLocation(
        "postgresql://clerk@db.wuxi.example/citycoop?sslmode=require&password=s3cretPW&schema=wuxi"
    )
    assert location.environment()["POSTGRES_PASSWORD"] == "s3cretPW"
    assert location.environment()["POSTGRES_SCHEMA"] == "wuxi"
    assert location.describe() == "postgresql://clerk@db.wuxi.example/citycoop?sslmode=require&password=***&schema=wuxi"
    assert "s3cret" not in StoreLocation("postgresql://db.wuxi.example/citycoop?SSLPASSWORD=s3cret").describe()
