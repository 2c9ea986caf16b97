"""Reading helpers shared by the engine tests."""


def rows(table, **scan):
    """What a PyIceberg scan returns, as dicts ordered by `id`."""
    return sorted(table.scan(**scan).to_arrow().to_pylist(), key=lambda row: row["id"])
