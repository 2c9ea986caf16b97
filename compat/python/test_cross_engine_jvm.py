"""Every engine reads the table every other engine wrote: Spark, Trino and Flink (through their
shells, see shells.py), PyIceberg and DuckDB. Each writer writes the same rows into a plain and an
identity-partitioned table once per app; each reader's values are compared row by row."""

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

import pyarrow as pa
import pytest
from pyiceberg.catalog import load_catalog

from readback import rows

# Common types all five engines write; the partitioned tables partition by `born`.
COLUMNS = {
    "id": "bigint",
    "qty": "int",
    "amount": "double",
    "price": "decimal",
    "flag": "boolean",
    "label": "string",
    "payload": "binary",
    "born": "date",
    "seen": "timestamp",
}
ROWS = [
    (
        1,
        -7,
        1234.5678,
        Decimal("19.99"),
        True,
        "한글 ok",
        b"\x00\xff",
        datetime.date(2024, 2, 29),
        datetime.datetime(2024, 2, 29, 23, 59, 59, 123456),
    ),
    (2, None, None, None, None, None, None, None, None),
    (
        3,
        2**31 - 1,
        -0.5,
        Decimal("-0.01"),
        False,
        "",
        b"\x7f",
        datetime.date(1969, 7, 20),
        datetime.datetime(1969, 7, 20, 20, 17, 40, 500000),
    ),
]
ARROW = pa.schema(
    [
        pa.field("id", pa.int64(), nullable=False),
        ("qty", pa.int32()),
        ("amount", pa.float64()),
        ("price", pa.decimal128(10, 2)),
        ("flag", pa.bool_()),
        ("label", pa.string()),
        ("payload", pa.binary()),
        ("born", pa.date32()),
        ("seen", pa.timestamp("us")),
    ]
)
# How the shells render what JSON has no type for (see EngineShell).
FROM_JSON = {
    "decimal": Decimal,
    "binary": bytes.fromhex,
    "date": datetime.date.fromisoformat,
    "timestamp": datetime.datetime.fromisoformat,
}


@dataclass(frozen=True)
class Dialect:
    """How one SQL engine spells the table: its type names, DDL and binary literals."""

    types: dict
    prefix: str  # before `namespace.table`: the catalog, where it is not the default
    partitioned: str  # appended to CREATE TABLE; DuckDB partitions with a later ALTER TABLE
    hex_literal: str

    def create(self, name: str, partitioned: bool) -> list[str]:
        columns = ", ".join(f"{column} {self.types[kind]}" for column, kind in COLUMNS.items())
        create = f"CREATE TABLE {self.prefix}{name} ({columns})"
        if not partitioned:
            return [create]
        if self.partitioned:
            return [create + self.partitioned]
        return [create, f"ALTER TABLE {self.prefix}{name} SET PARTITIONED BY (born)"]

    def insert(self, name: str) -> str:
        values = ", ".join(
            "(" + ", ".join(map(self.literal, COLUMNS.values(), row)) + ")" for row in ROWS
        )
        return f"INSERT INTO {self.prefix}{name} VALUES {values}"

    def literal(self, kind: str, value) -> str:
        """Typed even when null: Flink infers a VALUES column's type from its literals."""
        if value is None:
            return f"CAST(NULL AS {self.types[kind]})"
        if kind == "binary":
            return self.hex_literal.format(value.hex())
        text = str(value).lower() if kind == "boolean" else str(value).replace("'", "''")
        return f"CAST('{text}' AS {self.types[kind]})"

    def select(self, name: str) -> str:
        return f"SELECT {', '.join(COLUMNS)} FROM {self.prefix}{name} ORDER BY id"


TYPES = {
    "bigint": "BIGINT",
    "int": "INTEGER",
    "double": "DOUBLE",
    "decimal": "DECIMAL(10, 2)",
    "boolean": "BOOLEAN",
    "date": "DATE",
}
DIALECTS = {
    "spark": Dialect(
        types=TYPES | {"string": "STRING", "binary": "BINARY", "timestamp": "TIMESTAMP_NTZ"},
        prefix="",
        partitioned=" PARTITIONED BY (born)",
        hex_literal="X'{}'",
    ),
    "trino": Dialect(
        types=TYPES | {"string": "VARCHAR", "binary": "VARBINARY", "timestamp": "TIMESTAMP(6)"},
        prefix="",
        partitioned=" WITH (partitioning = ARRAY['born'])",
        hex_literal="X'{}'",
    ),
    "flink": Dialect(
        types=TYPES | {"string": "STRING", "binary": "BYTES", "timestamp": "TIMESTAMP(6)"},
        prefix="",
        partitioned=" PARTITIONED BY (born)",
        hex_literal="X'{}'",
    ),
    "duckdb": Dialect(
        types=TYPES | {"string": "VARCHAR", "binary": "BLOB", "timestamp": "TIMESTAMP"},
        prefix="bingsan.",
        partitioned="",
        hex_literal="unhex('{}')",
    ),
}
SHELLS = ("spark", "trino", "flink")
ENGINES = (*SHELLS, "pyiceberg", "duckdb")
LAYOUTS = ("plain", "partitioned")


class Engines:
    """The five engines on one app, and the tables each has written there (written once)."""

    def __init__(self, shells, catalog, duck, namespace):
        self.shells = shells
        self.catalog = catalog
        self.duck = duck
        self.namespace = namespace
        self.written: dict[tuple[str, str], str | Exception] = {}

    def table(self, writer: str, layout: str) -> str:
        """The table `writer` wrote in `layout`; a failed write fails each reader alike."""
        key = (writer, layout)
        if key not in self.written:
            name = f"{self.namespace}.{writer}_{layout}"
            try:
                self.write(writer, name, layout == "partitioned")
                self.written[key] = name
                partitioning = [("identity", "born")] if layout == "partitioned" else []
                assert self.partitioning(name) == partitioning
            except Exception as e:
                self.written[key] = e
        if isinstance(self.written[key], Exception):
            raise self.written[key]
        return self.written[key]

    def write(self, engine: str, name: str, partitioned: bool):
        if engine == "pyiceberg":
            table = self.catalog.create_table(name, schema=ARROW)
            if partitioned:
                with table.update_spec() as spec:
                    spec.add_identity("born")
            table.append(pa.Table.from_pylist([dict(zip(COLUMNS, row)) for row in ROWS], ARROW))
            return
        dialect = DIALECTS[engine]
        for statement in dialect.create(name, partitioned) + [dialect.insert(name)]:
            self.sql(engine, statement)

    def partitioning(self, name: str) -> list[tuple[str, str]]:
        table = self.catalog.load_table(name)
        return [
            (str(f.transform), table.schema().find_column_name(f.source_id))
            for f in table.spec().fields
        ]

    def read(self, engine: str, name: str) -> list[tuple]:
        if engine == "pyiceberg":
            return [tuple(row.values()) for row in rows(self.catalog.load_table(name))]
        values = self.sql(engine, DIALECTS[engine].select(name))
        if engine == "duckdb":
            return values
        return [
            tuple(
                FROM_JSON[kind](value) if kind in FROM_JSON and value is not None else value
                for kind, value in zip(COLUMNS.values(), row, strict=True)
            )
            for row in values
        ]

    def sql(self, engine: str, statement: str) -> list:
        if engine == "duckdb":
            return self.duck.execute(statement).fetchall()
        return self.shells[engine].sql(statement)


@pytest.fixture(scope="session")
def engines(bingsan, shells, duck_database):
    catalog = load_catalog("bingsan", uri=bingsan.uri, warehouse="default")
    namespace = f"cross_jvm_{uuid.uuid4().hex[:8]}"
    catalog.create_namespace(namespace)
    duck = duck_database.cursor()
    yield Engines(shells, catalog, duck, namespace)
    duck.close()


# PyIceberg and DuckDB read each other in test_cross_engine.py.
PAIRS = [(w, r) for w in ENGINES for r in ENGINES if w != r and {w, r} & set(SHELLS)]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("writer, reader", PAIRS)
def test_cross_engine_read(engines, writer, reader, layout):
    name = engines.table(writer, layout)
    assert engines.read(reader, name) == ROWS
