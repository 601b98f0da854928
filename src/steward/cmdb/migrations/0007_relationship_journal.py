"""The relationship journal: every change to ``cmdb_relationship``, numbered, written by triggers.

Processes keep the relationship graph in memory for impact analysis (ADR 31) and catch up by
reading the journal rows numbered after the newest one they applied. The triggers run in the
writer's transaction, so a rolled-back write leaves no row, and every write path is covered: the
ORM, cascades, bulk inserts, raw SQL, ``TRUNCATE``.

Rows must become visible in the order of their numbers, so that a reader which sees number N has
seen every committed row below it. SQLite has one writer at a time. On PostgreSQL the trigger
takes a transaction-level advisory lock before numbering rows, held until the writer commits.
``cmdb_relationship_stamp`` records up to which number the journal has been pruned.

The two tables are not models: ``flush`` (test isolation) leaves them alone, so the numbers only
ever grow within a database.
"""

from django.db import migrations

SQLITE = [
    "CREATE TABLE cmdb_relationship_stamp (id INTEGER PRIMARY KEY CHECK (id = 1), pruned_to INTEGER NOT NULL)",
    "INSERT INTO cmdb_relationship_stamp (id, pruned_to) VALUES (1, 0)",
    # The rowid alias numbers rows max + 1; pruning always keeps the newest row.
    "CREATE TABLE cmdb_relationship_journal (version INTEGER PRIMARY KEY, op TEXT NOT NULL, "
    "source_id INTEGER, target_id INTEGER, type_id INTEGER)",
    """CREATE TRIGGER cmdb_relationship_journal_insert AFTER INSERT ON cmdb_relationship
    BEGIN
        INSERT INTO cmdb_relationship_journal (op, source_id, target_id, type_id)
            VALUES ('a', NEW.source_id, NEW.target_id, NEW.type_id);
    END""",
    """CREATE TRIGGER cmdb_relationship_journal_delete AFTER DELETE ON cmdb_relationship
    BEGIN
        INSERT INTO cmdb_relationship_journal (op, source_id, target_id, type_id)
            VALUES ('d', OLD.source_id, OLD.target_id, OLD.type_id);
    END""",
    """CREATE TRIGGER cmdb_relationship_journal_update
    AFTER UPDATE OF source_id, target_id, type_id ON cmdb_relationship
    WHEN OLD.source_id IS NOT NEW.source_id OR OLD.target_id IS NOT NEW.target_id
        OR OLD.type_id IS NOT NEW.type_id
    BEGIN
        INSERT INTO cmdb_relationship_journal (op, source_id, target_id, type_id)
            VALUES ('d', OLD.source_id, OLD.target_id, OLD.type_id);
        INSERT INTO cmdb_relationship_journal (op, source_id, target_id, type_id)
            VALUES ('a', NEW.source_id, NEW.target_id, NEW.type_id);
    END""",
]

# Statement-level triggers with transition tables: one call per statement, however many rows it
# wrote (a bulk import of relationships is one INSERT per batch). Nothing is updated in place, so
# a transaction writing a million relationships one statement at a time does not pile up row
# versions of a counter.
POSTGRESQL = [
    "CREATE TABLE cmdb_relationship_stamp (id smallint PRIMARY KEY CHECK (id = 1), pruned_to bigint NOT NULL)",
    "INSERT INTO cmdb_relationship_stamp (id, pruned_to) VALUES (1, 0)",
    "CREATE TABLE cmdb_relationship_journal (version bigserial PRIMARY KEY, op char(1) NOT NULL, "
    "source_id bigint, target_id bigint, type_id bigint)",
    """CREATE FUNCTION cmdb_relationship_journal_write() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- Held until this transaction ends: numbers are handed out in commit order.
        PERFORM pg_advisory_xact_lock(hashtext('steward.cmdb_relationship_journal'));
        IF TG_OP = 'TRUNCATE' THEN
            INSERT INTO cmdb_relationship_journal (op) VALUES ('t');
        ELSIF TG_OP = 'INSERT' THEN
            INSERT INTO cmdb_relationship_journal (op, source_id, target_id, type_id)
                SELECT 'a', source_id, target_id, type_id FROM new_rows;
        ELSIF TG_OP = 'DELETE' THEN
            INSERT INTO cmdb_relationship_journal (op, source_id, target_id, type_id)
                SELECT 'd', source_id, target_id, type_id FROM old_rows;
        ELSE
            INSERT INTO cmdb_relationship_journal (op, source_id, target_id, type_id)
                SELECT 'd', o.source_id, o.target_id, o.type_id
                FROM old_rows o JOIN new_rows w ON w.id = o.id
                WHERE (o.source_id, o.target_id, o.type_id)
                    IS DISTINCT FROM (w.source_id, w.target_id, w.type_id);
            INSERT INTO cmdb_relationship_journal (op, source_id, target_id, type_id)
                SELECT 'a', w.source_id, w.target_id, w.type_id
                FROM old_rows o JOIN new_rows w ON w.id = o.id
                WHERE (o.source_id, o.target_id, o.type_id)
                    IS DISTINCT FROM (w.source_id, w.target_id, w.type_id);
        END IF;
        RETURN NULL;
    END
    $$""",
    "CREATE TRIGGER cmdb_relationship_journal_insert AFTER INSERT ON cmdb_relationship "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cmdb_relationship_journal_write()",
    "CREATE TRIGGER cmdb_relationship_journal_delete AFTER DELETE ON cmdb_relationship "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION cmdb_relationship_journal_write()",
    "CREATE TRIGGER cmdb_relationship_journal_update AFTER UPDATE ON cmdb_relationship "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION cmdb_relationship_journal_write()",
    "CREATE TRIGGER cmdb_relationship_journal_truncate AFTER TRUNCATE ON cmdb_relationship "
    "FOR EACH STATEMENT EXECUTE FUNCTION cmdb_relationship_journal_write()",
]

SQLITE_REVERSE = [
    "DROP TRIGGER cmdb_relationship_journal_update",
    "DROP TRIGGER cmdb_relationship_journal_delete",
    "DROP TRIGGER cmdb_relationship_journal_insert",
    "DROP TABLE cmdb_relationship_journal",
    "DROP TABLE cmdb_relationship_stamp",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER cmdb_relationship_journal_truncate ON cmdb_relationship",
    "DROP TRIGGER cmdb_relationship_journal_update ON cmdb_relationship",
    "DROP TRIGGER cmdb_relationship_journal_delete ON cmdb_relationship",
    "DROP TRIGGER cmdb_relationship_journal_insert ON cmdb_relationship",
    "DROP FUNCTION cmdb_relationship_journal_write()",
    "DROP TABLE cmdb_relationship_journal",
    "DROP TABLE cmdb_relationship_stamp",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            raise RuntimeError(f"The relationship journal has no triggers for {vendor}.")
        for sql in statements[vendor]:
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("cmdb", "0006_lifecycle_notices"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
