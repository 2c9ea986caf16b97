"""PyIceberg against the real catalog: one scenario per test, checked by the values read back."""

from pathlib import Path

import pyarrow as pa
import pytest
from pyiceberg.exceptions import (
    CommitFailedException,
    NamespaceNotEmptyError,
    NoSuchNamespaceError,
    NoSuchTableError,
)
from pyiceberg.expressions import And, EqualTo, GreaterThanOrEqual, In, IsNull, Not
from pyiceberg.schema import Schema
from pyiceberg.types import (
    DoubleType,
    FloatType,
    IntegerType,
    LongType,
    NestedField,
    StringType,
)
from pyiceberg.view.metadata import SQLViewRepresentation, ViewVersion

from readback import rows

ORDERS = pa.schema(
    [
        pa.field("id", pa.int64(), nullable=False),
        pa.field("customer", pa.string()),
        pa.field("quantity", pa.int32()),
        pa.field("price", pa.float32()),
    ]
)


def orders(*rows):
    return pa.Table.from_pylist(
        [dict(zip(ORDERS.names, row, strict=True)) for row in rows], schema=ORDERS
    )


def test_namespaces(catalog, namespace):
    nested = (namespace, "child")
    catalog.create_namespace(nested, {"owner": "compat"})

    assert (namespace,) in catalog.list_namespaces()
    assert catalog.list_namespaces(namespace) == [nested]
    assert catalog.namespace_exists(nested)
    assert catalog.load_namespace_properties(nested)["owner"] == "compat"

    summary = catalog.update_namespace_properties(
        nested, removals={"owner"}, updates={"team": "py"}
    )
    assert (summary.removed, summary.updated, summary.missing) == (["owner"], ["team"], [])
    properties = catalog.load_namespace_properties(nested)
    assert properties["team"] == "py" and "owner" not in properties

    catalog.create_table((*nested, "t"), schema=ORDERS)
    with pytest.raises(NamespaceNotEmptyError):
        catalog.drop_namespace(nested)
    catalog.drop_table((*nested, "t"))
    catalog.drop_namespace(nested)
    assert not catalog.namespace_exists(nested)
    with pytest.raises(NoSuchNamespaceError):
        catalog.load_namespace_properties(nested)


def test_create_table_from_pyarrow_schema(catalog, namespace):
    arrow_schema = pa.schema(
        [
            pa.field("id", pa.int64(), nullable=False),
            pa.field("name", pa.string()),
            pa.field("amount", pa.decimal128(12, 2)),
            pa.field("day", pa.date32()),
            pa.field("at", pa.timestamp("us", tz="UTC")),
            pa.field("tags", pa.list_(pa.string())),
        ]
    )
    table = catalog.create_table(
        f"{namespace}.events", schema=arrow_schema, properties={"purpose": "compat"}
    )

    loaded = catalog.load_table(f"{namespace}.events")
    fields = [(f.name, str(f.field_type), f.required) for f in loaded.schema().fields]
    assert fields == [
        ("id", "long", True),
        ("name", "string", False),
        ("amount", "decimal(12, 2)", False),
        ("day", "date", False),
        ("at", "timestamptz", False),
        ("tags", "list<string>", False),
    ]
    assert loaded.metadata.table_uuid == table.metadata.table_uuid
    assert loaded.properties["purpose"] == "compat"
    assert loaded.current_snapshot() is None
    assert catalog.list_tables(namespace) == [(namespace, "events")]
    assert catalog.table_exists(f"{namespace}.events")


def test_append_and_overwrite(catalog, namespace):
    table = catalog.create_table(f"{namespace}.orders", schema=ORDERS)
    table.append(orders((1, "ann", 2, 9.5), (2, "bob", 1, 20.0)))
    table.append(orders((3, "cid", 5, 1.25)))
    assert [r["customer"] for r in rows(catalog.load_table(f"{namespace}.orders"))] == [
        "ann",
        "bob",
        "cid",
    ]

    table.overwrite(orders((2, "bob", 7, 18.0)), overwrite_filter=EqualTo("id", 2))
    assert rows(catalog.load_table(f"{namespace}.orders")) == [
        {"id": 1, "customer": "ann", "quantity": 2, "price": 9.5},
        {"id": 2, "customer": "bob", "quantity": 7, "price": 18.0},
        {"id": 3, "customer": "cid", "quantity": 5, "price": 1.25},
    ]

    table.overwrite(orders((10, "dee", 1, 3.0)))
    reloaded = catalog.load_table(f"{namespace}.orders")
    assert rows(reloaded) == [{"id": 10, "customer": "dee", "quantity": 1, "price": 3.0}]
    assert reloaded.current_snapshot().summary["total-records"] == "1"


def test_create_table_transaction(catalog, namespace):
    # Stage-create: nothing exists until the commit carries the table and its first snapshot.
    with catalog.create_table_transaction(f"{namespace}.orders", schema=ORDERS) as tx:
        tx.append(orders((1, "ann", 2, 9.5)))
        assert not catalog.table_exists(f"{namespace}.orders")

    table = catalog.load_table(f"{namespace}.orders")
    assert rows(table) == [{"id": 1, "customer": "ann", "quantity": 2, "price": 9.5}]
    assert [s.summary.operation.value for s in table.snapshots()] == ["append"]


def test_concurrent_appends(catalog, namespace):
    # The catalog refuses a commit built on stale metadata (409); PyIceberg then retries it on
    # fresh metadata, unless its table says not to.
    name = f"{namespace}.orders"
    catalog.create_table(name, schema=ORDERS, properties={"commit.retry.num-retries": "0"})
    stale = catalog.load_table(name)
    catalog.load_table(name).append(orders((1, "ann", 2, 9.5)))
    with pytest.raises(CommitFailedException):
        stale.append(orders((2, "bob", 1, 20.0)))
    assert [r["id"] for r in rows(catalog.load_table(name))] == [1]

    with catalog.load_table(name).transaction() as tx:
        tx.remove_properties("commit.retry.num-retries")
    stale = catalog.load_table(name)
    catalog.load_table(name).append(orders((3, "cid", 5, 1.25)))
    stale.append(orders((2, "bob", 1, 20.0)))

    table = catalog.load_table(name)
    assert [r["id"] for r in rows(table)] == [1, 2, 3]
    snapshots = table.snapshots()
    assert [s.parent_snapshot_id for s in snapshots] == [None] + [
        s.snapshot_id for s in snapshots[:-1]
    ]


def test_delete_with_filter(catalog, namespace):
    table = catalog.create_table(f"{namespace}.orders", schema=ORDERS)
    table.append(orders((1, "ann", 2, 9.5), (2, "bob", 1, 20.0), (3, "cid", 5, 1.25)))
    table.append(orders((4, "dee", 3, 4.0)))

    table.delete(In("id", {2, 4}))
    table.delete("quantity >= 5")

    reloaded = catalog.load_table(f"{namespace}.orders")
    assert rows(reloaded) == [{"id": 1, "customer": "ann", "quantity": 2, "price": 9.5}]
    assert reloaded.current_snapshot().summary["total-records"] == "1"


def test_upsert(catalog, namespace):
    schema = Schema(
        NestedField(1, "id", LongType(), required=True),
        NestedField(2, "customer", StringType()),
        NestedField(3, "quantity", IntegerType()),
        NestedField(4, "price", FloatType()),
        identifier_field_ids=[1],
    )
    table = catalog.create_table(f"{namespace}.orders", schema=schema)
    table.append(orders((1, "ann", 2, 9.5), (2, "bob", 1, 20.0)))

    result = table.upsert(orders((2, "bob", 4, 20.0), (3, "cid", 5, 1.25)))

    assert (result.rows_updated, result.rows_inserted) == (1, 1)
    assert rows(catalog.load_table(f"{namespace}.orders")) == [
        {"id": 1, "customer": "ann", "quantity": 2, "price": 9.5},
        {"id": 2, "customer": "bob", "quantity": 4, "price": 20.0},
        {"id": 3, "customer": "cid", "quantity": 5, "price": 1.25},
    ]


def test_scan_with_row_filter_and_selected_fields(catalog, namespace):
    table = catalog.create_table(f"{namespace}.orders", schema=ORDERS)
    table.append(orders((1, "ann", 2, 9.5), (2, None, 1, 20.0)))
    first = table.current_snapshot().snapshot_id
    table.append(orders((3, "cid", 5, 1.25), (4, "dee", 3, 4.0)))
    table = catalog.load_table(f"{namespace}.orders")

    assert rows(
        table,
        row_filter=And(GreaterThanOrEqual("quantity", 2), Not(EqualTo("customer", "dee"))),
        selected_fields=("id", "customer"),
    ) == [{"id": 1, "customer": "ann"}, {"id": 3, "customer": "cid"}]
    assert rows(table, row_filter=IsNull("customer"), selected_fields=("id",)) == [{"id": 2}]
    assert rows(table, row_filter="price < 5.0", selected_fields=("id", "price")) == [
        {"id": 3, "price": 1.25},
        {"id": 4, "price": 4.0},
    ]
    assert [r["id"] for r in rows(table, snapshot_id=first, selected_fields=("id",))] == [1, 2]


def test_schema_evolution(catalog, namespace):
    table = catalog.create_table(f"{namespace}.orders", schema=ORDERS)
    table.append(orders((1, "ann", 2, 9.5)))

    with table.update_schema() as update:
        update.add_column("note", StringType())
        update.rename_column("customer", "buyer")
        update.update_column("quantity", LongType())
        update.update_column("price", DoubleType())

    reloaded = catalog.load_table(f"{namespace}.orders")
    assert [(f.field_id, f.name, str(f.field_type)) for f in reloaded.schema().fields] == [
        (1, "id", "long"),
        (2, "buyer", "string"),
        (3, "quantity", "long"),
        (4, "price", "double"),
        (5, "note", "string"),
    ]
    assert len(reloaded.schemas()) == 2

    reloaded.append(
        pa.table(
            {"id": [2], "buyer": ["bob"], "quantity": [2**40], "price": [0.1], "note": ["new"]},
            schema=reloaded.schema().as_arrow(),
        )
    )
    assert rows(catalog.load_table(f"{namespace}.orders")) == [
        {"id": 1, "buyer": "ann", "quantity": 2, "price": 9.5, "note": None},
        {"id": 2, "buyer": "bob", "quantity": 2**40, "price": 0.1, "note": "new"},
    ]


def test_inspect_snapshots(catalog, namespace):
    table = catalog.create_table(f"{namespace}.orders", schema=ORDERS)
    table.append(orders((1, "ann", 2, 9.5)))
    table.append(orders((2, "bob", 1, 20.0), (3, "cid", 5, 1.25)))
    table.delete(GreaterThanOrEqual("id", 2))

    reloaded = catalog.load_table(f"{namespace}.orders")
    snapshots = reloaded.inspect.snapshots().sort_by("committed_at").to_pylist()

    assert [s["operation"] for s in snapshots] == ["append", "append", "delete"]
    assert [s["parent_id"] for s in snapshots] == [None] + [s["snapshot_id"] for s in snapshots[:2]]
    assert snapshots[-1]["snapshot_id"] == reloaded.current_snapshot().snapshot_id
    summaries = [dict(s["summary"]) for s in snapshots]
    assert [s["total-records"] for s in summaries] == ["1", "3", "1"]
    assert summaries[1]["added-records"] == "2"
    assert [e.snapshot_id for e in reloaded.history()] == [s["snapshot_id"] for s in snapshots]


def test_table_properties(catalog, namespace):
    name = f"{namespace}.orders"
    table = catalog.create_table(name, schema=ORDERS, properties={"a": "1"})

    def ours():
        properties = catalog.load_table(name).properties
        return {key: properties[key] for key in ("a", "b", "c") if key in properties}

    with table.transaction() as tx:
        tx.set_properties(b="2", c="3")
    assert ours() == {"a": "1", "b": "2", "c": "3"}

    with table.transaction() as tx:
        tx.remove_properties("a", "c")
    assert ours() == {"b": "2"}


def test_rename_table(catalog, namespace):
    table = catalog.create_table(f"{namespace}.orders", schema=ORDERS)
    table.append(orders((1, "ann", 2, 9.5)))
    archive = f"{namespace}_archive"
    catalog.create_namespace(archive)

    catalog.rename_table(f"{namespace}.orders", f"{namespace}.orders_2024")
    catalog.rename_table(f"{namespace}.orders_2024", f"{archive}.orders")

    moved = catalog.load_table(f"{archive}.orders")
    assert moved.metadata.table_uuid == table.metadata.table_uuid
    assert rows(moved) == [{"id": 1, "customer": "ann", "quantity": 2, "price": 9.5}]
    assert catalog.list_tables(namespace) == []
    assert catalog.list_tables(archive) == [(archive, "orders")]
    with pytest.raises(NoSuchTableError):
        catalog.load_table(f"{namespace}.orders_2024")


def test_drop_table(catalog, namespace):
    for name in ("kept", "purged"):
        catalog.create_table(f"{namespace}.{name}", schema=ORDERS).append(
            orders((1, "ann", 2, 9.5))
        )
    kept = catalog.load_table(f"{namespace}.kept")
    purged = catalog.load_table(f"{namespace}.purged")
    purged_files = [purged.metadata_location] + [
        t.file.file_path for t in purged.scan().plan_files()
    ]

    catalog.drop_table(f"{namespace}.kept")
    catalog.purge_table(f"{namespace}.purged")

    for name in ("kept", "purged"):
        assert not catalog.table_exists(f"{namespace}.{name}")
        with pytest.raises(NoSuchTableError):
            catalog.load_table(f"{namespace}.{name}")
    assert catalog.list_tables(namespace) == []
    # A plain drop leaves the files, which can be registered again; a purge deletes them.
    assert [f for f in purged_files if local_path(f).exists()] == []
    restored = catalog.register_table(f"{namespace}.kept", kept.metadata_location)
    assert restored.metadata.table_uuid == kept.metadata.table_uuid
    assert rows(restored) == [{"id": 1, "customer": "ann", "quantity": 2, "price": 9.5}]


def test_views(catalog, namespace):
    catalog.create_table(f"{namespace}.orders", schema=ORDERS)
    sql = f"SELECT id, customer FROM {namespace}.orders WHERE quantity > 1"
    version = ViewVersion(
        schema_id=0,
        default_namespace=(namespace,),
        representations=[SQLViewRepresentation(type="sql", sql=sql, dialect="spark")],
        summary={"engine-name": "pyiceberg"},
    )
    view_schema = pa.schema([pa.field("id", pa.int64(), nullable=False), ("customer", pa.string())])
    created = catalog.create_view(
        f"{namespace}.big_orders", view_schema, version, properties={"comment": "compat"}
    )

    assert catalog.list_views(namespace) == [(namespace, "big_orders")]
    assert catalog.view_exists(f"{namespace}.big_orders")
    view = catalog.load_view(f"{namespace}.big_orders")
    assert view.uuid() == created.uuid()
    assert view.sql_for("spark").sql == sql
    assert view.current_version().default_namespace == (namespace,)
    assert [(f.name, str(f.field_type)) for f in view.schema().fields] == [
        ("id", "long"),
        ("customer", "string"),
    ]
    assert view.properties["comment"] == "compat"
    # A view is no table, and the table beside it is no view.
    assert catalog.list_tables(namespace) == [(namespace, "orders")]
    assert not catalog.view_exists(f"{namespace}.orders")

    catalog.drop_view(f"{namespace}.big_orders")
    assert not catalog.view_exists(f"{namespace}.big_orders")
    assert catalog.list_views(namespace) == []


def local_path(location: str) -> Path:
    return Path(location.removeprefix("file:"))
