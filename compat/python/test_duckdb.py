"""DuckDB's iceberg extension against the real catalog with its REST defaults: tables are
stage-created and their creation committed to the table; writes commit through
transactions/commit, every table of a DuckDB transaction in one request."""

import datetime

import duckdb
import pyarrow as pa
import pytest


def query(duck, sql, *params):
    return duck.execute(sql, list(params)).fetchall()


def test_create_insert_select(duck, catalog, namespace):
    schema = f"{namespace}_duck"
    duck.execute(f"CREATE SCHEMA bingsan.{schema}")
    duck.execute(
        f"CREATE TABLE bingsan.{schema}.trips (id BIGINT, city VARCHAR, km DOUBLE, day DATE)"
    )
    duck.execute(
        f"INSERT INTO bingsan.{schema}.trips VALUES "
        "(1, 'Seoul', 12.5, DATE '2024-03-01'), (2, 'Busan', 3.0, DATE '2024-03-02')"
    )
    duck.execute(f"INSERT INTO bingsan.{schema}.trips VALUES (3, 'Seoul', 7.5, NULL)")

    assert catalog.namespace_exists(schema)
    assert query(duck, f"SELECT * FROM bingsan.{schema}.trips ORDER BY id") == [
        (1, "Seoul", 12.5, datetime.date(2024, 3, 1)),
        (2, "Busan", 3.0, datetime.date(2024, 3, 2)),
        (3, "Seoul", 7.5, None),
    ]
    assert query(
        duck,
        f"SELECT city, sum(km) FROM bingsan.{schema}.trips WHERE km > 5 GROUP BY city",
    ) == [("Seoul", 20.0)]
    assert query(
        duck,
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_catalog = 'bingsan' AND table_schema = ?",
        schema,
    ) == [("trips",)]

    duck.execute(f"DROP TABLE bingsan.{schema}.trips")
    duck.execute(f"DROP SCHEMA bingsan.{schema}")
    assert not catalog.namespace_exists(schema)


def test_create_table_as_select(duck, namespace):
    duck.execute(
        f"CREATE TABLE bingsan.{namespace}.squares AS "
        "SELECT i AS n, i * i AS square FROM range(1, 6) t(i)"
    )

    assert query(duck, f"SELECT sum(square), max(n) FROM bingsan.{namespace}.squares") == [(55, 5)]


def test_explicit_transaction(duck, catalog, namespace):
    duck.execute("BEGIN")
    duck.execute(f"CREATE TABLE bingsan.{namespace}.a (id INTEGER, v VARCHAR)")
    duck.execute(f"INSERT INTO bingsan.{namespace}.a VALUES (1, 'one'), (2, 'two')")
    duck.execute(f"CREATE TABLE bingsan.{namespace}.b AS SELECT 42 AS answer")
    duck.execute(f"INSERT INTO bingsan.{namespace}.a VALUES (3, 'three')")
    duck.execute("COMMIT")

    assert query(duck, f"SELECT * FROM bingsan.{namespace}.a ORDER BY id") == [
        (1, "one"),
        (2, "two"),
        (3, "three"),
    ]
    assert query(duck, f"SELECT * FROM bingsan.{namespace}.b") == [(42,)]

    duck.execute("BEGIN")
    duck.execute(f"CREATE TABLE bingsan.{namespace}.c (id INTEGER)")
    duck.execute(f"INSERT INTO bingsan.{namespace}.a VALUES (4, 'four')")
    duck.execute("ROLLBACK")

    assert sorted(catalog.list_tables(namespace)) == [(namespace, "a"), (namespace, "b")]
    assert query(duck, f"SELECT count(*) FROM bingsan.{namespace}.a") == [(3,)]


def test_multi_table_commit_is_all_or_none(duck, catalog, namespace):
    a, b = f"bingsan.{namespace}.a", f"bingsan.{namespace}.b"
    duck.execute(f"CREATE TABLE {a} (id INTEGER)")
    duck.execute(f"CREATE TABLE {b} (id INTEGER)")

    duck.execute("BEGIN")
    duck.execute(f"INSERT INTO {a} VALUES (1)")
    duck.execute(f"INSERT INTO {b} VALUES (1)")
    duck.execute("COMMIT")

    duck.execute("BEGIN")
    duck.execute(f"INSERT INTO {a} VALUES (2)")
    duck.execute(f"INSERT INTO {b} VALUES (2)")
    # Another writer moves b first: b's requirement fails, so a must not change either.
    other = pa.schema([("id", pa.int32())])
    catalog.load_table(f"{namespace}.b").append(pa.table({"id": [99]}, schema=other))
    with pytest.raises(duckdb.TransactionException, match="Conflict"):
        duck.execute("COMMIT")

    assert query(duck, f"SELECT id FROM {a} ORDER BY id") == [(1,)]
    assert query(duck, f"SELECT id FROM {b} ORDER BY id") == [(1,), (99,)]


def test_delete_update_drop(duck, catalog, namespace):
    table = f"bingsan.{namespace}.stock"
    duck.execute(f"CREATE TABLE {table} (sku VARCHAR, qty INTEGER)")
    duck.execute(f"INSERT INTO {table} VALUES ('a', 1), ('b', 2), ('c', 3)")

    duck.execute(f"DELETE FROM {table} WHERE sku = 'b'")
    duck.execute(f"UPDATE {table} SET qty = qty * 10 WHERE sku = 'c'")

    assert query(duck, f"SELECT * FROM {table} ORDER BY sku") == [("a", 1), ("c", 30)]

    duck.execute(f"DROP TABLE {table}")
    assert not catalog.table_exists(f"{namespace}.stock")
    with pytest.raises(duckdb.CatalogException, match="does not exist"):
        duck.execute(f"SELECT * FROM {table}")


def test_alter_table(duck, catalog, namespace):
    table = f"bingsan.{namespace}.users"
    duck.execute(f"CREATE TABLE {table} (id BIGINT, name VARCHAR, age INTEGER)")
    duck.execute(f"INSERT INTO {table} VALUES (1, 'kim', 30)")

    duck.execute(f"ALTER TABLE {table} ADD COLUMN email VARCHAR")
    duck.execute(f"ALTER TABLE {table} RENAME COLUMN name TO handle")
    duck.execute(f"ALTER TABLE {table} ALTER COLUMN age TYPE BIGINT")
    duck.execute(f"ALTER TABLE {table} DROP COLUMN handle")
    duck.execute(f"INSERT INTO {table} VALUES (2, {2**40}, 'lee@example.com')")
    duck.execute(f"ALTER TABLE {table} RENAME TO members")

    assert not catalog.table_exists(f"{namespace}.users")
    members = catalog.load_table(f"{namespace}.members")
    # Field ids survive every change: the renamed-then-dropped column's id is never reused.
    assert [(f.field_id, f.name, str(f.field_type)) for f in members.schema().fields] == [
        (1, "id", "long"),
        (3, "age", "long"),
        (4, "email", "string"),
    ]
    assert query(duck, f"SELECT * FROM bingsan.{namespace}.members ORDER BY id") == [
        (1, 30, None),
        (2, 2**40, "lee@example.com"),
    ]
