"""Tables written by one Python engine and read by the other, values compared row by row."""

import datetime
from decimal import Decimal

import pyarrow as pa
from pyiceberg.expressions import EqualTo
from pyiceberg.partitioning import PartitionField, PartitionSpec
from pyiceberg.schema import Schema
from pyiceberg.transforms import BucketTransform, DayTransform, IdentityTransform
from pyiceberg.types import LongType, NestedField, StringType, TimestampType

from readback import rows

UTC = datetime.timezone.utc

# One column per common type; the rows below exercise each, nulls included.
TYPES = pa.schema(
    [
        pa.field("id", pa.int64(), nullable=False),
        pa.field("small", pa.int32()),
        pa.field("ratio", pa.float32()),
        pa.field("amount", pa.float64()),
        pa.field("price", pa.decimal128(10, 2)),
        pa.field("flag", pa.bool_()),
        pa.field("name", pa.string()),
        pa.field("raw", pa.binary()),
        pa.field("day", pa.date32()),
        pa.field("seen", pa.timestamp("us")),
        pa.field("seen_utc", pa.timestamp("us", tz="UTC")),
        pa.field("scores", pa.list_(pa.int64())),
        pa.field("point", pa.struct([("x", pa.int32()), ("label", pa.string())])),
    ]
)
DUCKDB_TYPES = (
    "id BIGINT NOT NULL, small INTEGER, ratio FLOAT, amount DOUBLE, price DECIMAL(10, 2), "
    "flag BOOLEAN, name VARCHAR, raw BLOB, day DATE, seen TIMESTAMP, seen_utc TIMESTAMPTZ, "
    "scores BIGINT[], point STRUCT(x INTEGER, label VARCHAR)"
)
ROWS = [
    {
        "id": 1,
        "small": -7,
        "ratio": 0.5,
        "amount": 1234.5678,
        "price": Decimal("19.99"),
        "flag": True,
        "name": "한글 ok",
        "raw": b"\x00\xff",
        "day": datetime.date(2024, 2, 29),
        "seen": datetime.datetime(2024, 2, 29, 23, 59, 59, 123456),
        "seen_utc": datetime.datetime(2024, 3, 1, 8, 30, tzinfo=UTC),
        "scores": [1, 2, 3],
        "point": {"x": 4, "label": "p"},
    },
    {
        "id": 2,
        "small": None,
        "ratio": None,
        "amount": None,
        "price": None,
        "flag": None,
        "name": None,
        "raw": None,
        "day": None,
        "seen": None,
        "seen_utc": None,
        "scores": [],
        "point": None,
    },
    {
        "id": 3,
        "small": 2**31 - 1,
        "ratio": -1.25,
        "amount": -0.0,
        "price": Decimal("-0.01"),
        "flag": False,
        "name": "",
        "raw": b"",
        "day": datetime.date(1970, 1, 1),
        "seen": datetime.datetime(1999, 12, 31),
        "seen_utc": datetime.datetime(2000, 1, 1, tzinfo=UTC),
        "scores": [None, 5],
        "point": {"x": None, "label": "q"},
    },
]


def duck_rows(duck, table):
    return duck.sql(f"SELECT * FROM bingsan.{table} ORDER BY id").to_arrow_table().to_pylist()


def test_duckdb_reads_pyiceberg_table(duck, catalog, namespace):
    table = catalog.create_table(f"{namespace}.typed", schema=TYPES)
    table.append(pa.Table.from_pylist(ROWS[:2], schema=TYPES))
    table.append(pa.Table.from_pylist(ROWS[2:] + [dict(ROWS[0], id=4)], schema=TYPES))
    before_delete = table.current_snapshot().snapshot_id
    table.delete(EqualTo("id", 4))

    assert duck_rows(duck, f"{namespace}.typed") == ROWS
    # Time travel reads a snapshot from the catalog's list, not just the current one.
    assert duck.sql(
        f"SELECT id FROM bingsan.{namespace}.typed AT (VERSION => {before_delete}) ORDER BY id"
    ).fetchall() == [(1,), (2,), (3,), (4,)]


def test_pyiceberg_reads_duckdb_table(duck, catalog, namespace):
    duck.execute(f"CREATE TABLE bingsan.{namespace}.typed ({DUCKDB_TYPES})")
    duck.register("arrow_rows", pa.Table.from_pylist(ROWS, schema=TYPES))
    duck.execute(f"INSERT INTO bingsan.{namespace}.typed SELECT * FROM arrow_rows")
    # Merge-on-read: DuckDB writes delete files, which PyIceberg must apply.
    duck.execute(f"DELETE FROM bingsan.{namespace}.typed WHERE id = 2")
    duck.execute(f"UPDATE bingsan.{namespace}.typed SET name = 'updated' WHERE id = 3")

    expected = [ROWS[0], dict(ROWS[2], name="updated")]
    assert rows(catalog.load_table(f"{namespace}.typed")) == expected
    assert [f.name for f in catalog.load_table(f"{namespace}.typed").schema().fields] == TYPES.names


def test_engines_take_turns_on_one_table(duck, catalog, namespace):
    name = f"{namespace}.visits"
    schema = pa.schema([pa.field("id", pa.int64(), nullable=False), ("page", pa.string())])
    table = catalog.create_table(name, schema=schema)
    table.append(pa.table({"id": [1], "page": ["home"]}, schema=schema))
    duck.execute(f"INSERT INTO bingsan.{name} VALUES (2, 'docs')")
    # PyIceberg's next commit must build on DuckDB's snapshot, not on the one it wrote itself.
    catalog.load_table(name).append(pa.table({"id": [3], "page": ["blog"]}, schema=schema))
    duck.execute(f"DELETE FROM bingsan.{name} WHERE id = 1")

    expected = [{"id": 2, "page": "docs"}, {"id": 3, "page": "blog"}]
    assert rows(catalog.load_table(name)) == expected
    assert duck_rows(duck, name) == expected
    snapshots = catalog.load_table(name).inspect.snapshots().sort_by("committed_at").to_pylist()
    assert [s["parent_id"] for s in snapshots] == [None] + [
        s["snapshot_id"] for s in snapshots[:-1]
    ]
    assert [dict(s["summary"])["total-records"] for s in snapshots[:3]] == ["1", "2", "3"]
    assert len(snapshots) == 4


def test_duckdb_sees_schema_evolution(duck, catalog, namespace):
    name = f"{namespace}.people"
    schema = pa.schema(
        [pa.field("id", pa.int64(), nullable=False), ("nick", pa.string()), ("age", pa.int32())]
    )
    table = catalog.create_table(name, schema=schema)
    table.append(pa.table({"id": [1], "nick": ["kim"], "age": [30]}, schema=schema))
    with table.update_schema() as update:
        update.rename_column("nick", "handle")
        update.update_column("age", LongType())
        update.add_column("email", StringType())

    assert duck_rows(duck, name) == [{"id": 1, "handle": "kim", "age": 30, "email": None}]
    duck.execute(f"INSERT INTO bingsan.{name} VALUES (2, 'lee', {2**40}, 'lee@example.com')")
    assert rows(catalog.load_table(name)) == [
        {"id": 1, "handle": "kim", "age": 30, "email": None},
        {"id": 2, "handle": "lee", "age": 2**40, "email": "lee@example.com"},
    ]


def test_names_differing_in_case_are_one_table(duck, catalog, namespace):
    # PyIceberg keeps case, DuckDB users type any: the catalog matches names case-insensitively.
    schema = pa.schema([("id", pa.int64())])
    catalog.create_table(f"{namespace}.Orders", schema=schema).append(
        pa.table({"id": [1]}, schema=schema)
    )
    duck.execute(f"INSERT INTO bingsan.{namespace}.orders VALUES (2)")
    duck.execute(f"CREATE TABLE bingsan.{namespace}.Returns AS SELECT 7 AS id")

    assert duck_rows(duck, f"{namespace}.ORDERS") == [{"id": 1}, {"id": 2}]
    assert rows(catalog.load_table(f"{namespace}.returns")) == [{"id": 7}]
    assert sorted(catalog.list_tables(namespace)) == [(namespace, "Orders"), (namespace, "Returns")]


EVENT = Schema(
    NestedField(1, "id", LongType(), required=True),
    NestedField(2, "kind", StringType()),
    NestedField(3, "seen", TimestampType()),
)


def events(*values):
    return pa.Table.from_pylist(
        [dict(zip(("id", "kind", "seen"), row, strict=True)) for row in values],
        schema=EVENT.as_arrow(),
    )


def partition_fields(table):
    return [(f.name, str(f.transform), f.source_id) for f in table.spec().fields]


def test_pyiceberg_partitioned_table_in_duckdb(duck, catalog, namespace):
    name = f"{namespace}.events"
    spec = PartitionSpec(
        PartitionField(source_id=2, field_id=1000, transform=IdentityTransform(), name="kind"),
        PartitionField(source_id=3, field_id=1001, transform=DayTransform(), name="seen_day"),
    )
    table = catalog.create_table(name, schema=EVENT, partition_spec=spec)
    day1, day2 = datetime.datetime(2024, 5, 1, 9), datetime.datetime(2024, 5, 2, 9)
    table.append(events((1, "click", day1), (2, "view", day1), (3, "click", day2)))
    with table.update_spec() as update:
        update.add_field("id", BucketTransform(4), "id_bucket")
    table.append(events((4, "click", day1)))

    assert duck.sql(
        f"SELECT id FROM bingsan.{name} WHERE kind = 'click' AND seen < TIMESTAMP '2024-05-02' "
        "ORDER BY id"
    ).fetchall() == [(1,), (4,)]
    duck.execute(f"INSERT INTO bingsan.{name} VALUES (5, 'view', TIMESTAMP '2024-05-02 10:00')")

    reloaded = catalog.load_table(name)
    assert partition_fields(reloaded) == [
        ("kind", "identity", 2),
        ("seen_day", "day", 3),
        ("id_bucket", "bucket[4]", 1),
    ]
    assert [r["id"] for r in rows(reloaded) if r["kind"] == "view"] == [2, 5]
    files = reloaded.inspect.files().to_pylist()
    assert sorted(f["spec_id"] for f in files) == [0, 0, 0, 1, 1]
    written_by_duckdb = next(f for f in files if f["partition"]["kind"] == "view" and f["spec_id"])
    assert written_by_duckdb["partition"]["seen_day"] == datetime.date(2024, 5, 2)


def test_duckdb_partitioned_table_in_pyiceberg(duck, catalog, namespace):
    name = f"{namespace}.events"
    duck.execute(f"CREATE TABLE bingsan.{name} (id BIGINT, kind VARCHAR, seen TIMESTAMP)")
    duck.execute(f"ALTER TABLE bingsan.{name} SET PARTITIONED BY (kind, day(seen))")
    duck.execute(
        f"INSERT INTO bingsan.{name} VALUES (1, 'click', TIMESTAMP '2024-05-01 09:00'), "
        "(2, 'view', TIMESTAMP '2024-05-02 09:00')"
    )

    table = catalog.load_table(name)
    assert [(transform, source) for _, transform, source in partition_fields(table)] == [
        ("identity", 2),
        ("day", 3),
    ]
    assert table.scan(row_filter="kind == 'view'").to_arrow().to_pylist() == [
        {"id": 2, "kind": "view", "seen": datetime.datetime(2024, 5, 2, 9)}
    ]
    day_field = table.spec().fields[1].name  # DuckDB names its partition fields itself
    days = sorted(f["partition"][day_field] for f in table.inspect.files().to_pylist())
    assert days == [datetime.date(2024, 5, 1), datetime.date(2024, 5, 2)]
