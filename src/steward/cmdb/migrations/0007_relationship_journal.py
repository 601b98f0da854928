"""The relationship journal: every change to ``cmdb_relationship``, numbered, written by triggers.

Processes keep the relationship graph in memory for impact analysis (ADR 31) and catch up by
reading the journal rows numbered after the version they hold. ``cmdb_relationship_stamp`` holds
the last number. The triggers run in the writer's transaction, so a rolled-back write leaves no
row, and every write path is covered: the ORM, cascades, bulk inserts, raw SQL, ``TRUNCATE``.

On PostgreSQL a writer holds the stamp row's lock until it commits, so numbers become visible in
order and a reader that sees version V sees every row up to V. SQLite has one writer at a time.

The two tables are not models: ``flush`` (test isolation) leaves them alone, so the version only
ever grows within a database.
"""

from django.db import migrations

SQLITE = [
    "CREATE TABLE cmdb_relationship_stamp (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)",
    "INSERT INTO cmdb_relationship_stamp (id, version) VALUES (1, 0)",
    "CREATE TABLE cmdb_relationship_journal (version INTEGER PRIMARY KEY, op TEXT NOT NULL, "
    "source_id INTEGER, target_id INTEGER, type_id INTEGER)",
    """CREATE TRIGGER cmdb_relationship_journal_insert AFTER INSERT ON cmdb_relationship
    BEGIN
        UPDATE cmdb_relationship_stamp SET version = version + 1 WHERE id = 1;
        INSERT INTO cmdb_relationship_journal SELECT version, 'a', NEW.source_id, NEW.target_id, NEW.type_id
            FROM cmdb_relationship_stamp WHERE id = 1;
    END""",
    """CREATE TRIGGER cmdb_relationship_journal_delete AFTER DELETE ON cmdb_relationship
    BEGIN
        UPDATE cmdb_relationship_stamp SET version = version + 1 WHERE id = 1;
        INSERT INTO cmdb_relationship_journal SELECT version, 'd', OLD.source_id, OLD.target_id, OLD.type_id
            FROM cmdb_relationship_stamp WHERE id = 1;
    END""",
    """CREATE TRIGGER cmdb_relationship_journal_update
    AFTER UPDATE OF source_id, target_id, type_id ON cmdb_relationship
    WHEN OLD.source_id IS NOT NEW.source_id OR OLD.target_id IS NOT NEW.target_id
        OR OLD.type_id IS NOT NEW.type_id
    BEGIN
        UPDATE cmdb_relationship_stamp SET version = version + 1 WHERE id = 1;
        INSERT INTO cmdb_relationship_journal SELECT version, 'd', OLD.source_id, OLD.target_id, OLD.type_id
            FROM cmdb_relationship_stamp WHERE id = 1;
        UPDATE cmdb_relationship_stamp SET version = version + 1 WHERE id = 1;
        INSERT INTO cmdb_relationship_journal SELECT version, 'a', NEW.source_id, NEW.target_id, NEW.type_id
            FROM cmdb_relationship_stamp WHERE id = 1;
    END""",
]

# Statement-level triggers with transition tables: one stamp update per statement, however many
# rows it wrote (a bulk import of relationships is one INSERT per batch).
POSTGRESQL = [
    "CREATE TABLE cmdb_relationship_stamp (id smallint PRIMARY KEY CHECK (id = 1), version bigint NOT NULL)",
    "INSERT INTO cmdb_relationship_stamp (id, version) VALUES (1, 0)",
    "CREATE TABLE cmdb_relationship_journal (version bigint PRIMARY KEY, op char(1) NOT NULL, "
    "source_id bigint, target_id bigint, type_id bigint)",
    """CREATE FUNCTION cmdb_relationship_journal_write() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        n bigint;
        top bigint;
    BEGIN
        IF TG_OP = 'TRUNCATE' THEN
            UPDATE cmdb_relationship_stamp SET version = version + 1 WHERE id = 1 RETURNING version INTO top;
            INSERT INTO cmdb_relationship_journal VALUES (top, 't', NULL, NULL, NULL);
        ELSIF TG_OP = 'INSERT' THEN
            SELECT count(*) INTO n FROM new_rows;
            IF n > 0 THEN
                UPDATE cmdb_relationship_stamp SET version = version + n WHERE id = 1 RETURNING version INTO top;
                INSERT INTO cmdb_relationship_journal
                    SELECT top - n + row_number() OVER (), 'a', source_id, target_id, type_id
                    FROM new_rows;
            END IF;
        ELSIF TG_OP = 'DELETE' THEN
            SELECT count(*) INTO n FROM old_rows;
            IF n > 0 THEN
                UPDATE cmdb_relationship_stamp SET version = version + n WHERE id = 1 RETURNING version INTO top;
                INSERT INTO cmdb_relationship_journal
                    SELECT top - n + row_number() OVER (), 'd', source_id, target_id, type_id
                    FROM old_rows;
            END IF;
        ELSE
            SELECT count(*) INTO n FROM old_rows o JOIN new_rows w ON w.id = o.id
                WHERE (o.source_id, o.target_id, o.type_id)
                    IS DISTINCT FROM (w.source_id, w.target_id, w.type_id);
            IF n > 0 THEN
                UPDATE cmdb_relationship_stamp SET version = version + 2 * n WHERE id = 1 RETURNING version INTO top;
                INSERT INTO cmdb_relationship_journal
                    WITH moved AS (
                        SELECT o.source_id AS os, o.target_id AS ot, o.type_id AS oty,
                            w.source_id AS ns, w.target_id AS nt, w.type_id AS nty,
                            row_number() OVER (ORDER BY o.id) AS rn
                        FROM old_rows o JOIN new_rows w ON w.id = o.id
                        WHERE (o.source_id, o.target_id, o.type_id)
                            IS DISTINCT FROM (w.source_id, w.target_id, w.type_id)
                    )
                    SELECT top - 2 * n + rn, 'd', os, ot, oty FROM moved
                    UNION ALL
                    SELECT top - n + rn, 'a', ns, nt, nty FROM moved;
            END IF;
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
