"""The global search index, and the engine's own full-text structure beside it.

SQLite: an external-content FTS5 table over the weighted text columns, kept in step by
triggers. PostgreSQL: a generated, weighted ``tsvector`` column with a GIN index. Other
engines get neither and search with LIKE.

A later migration that rebuilds ``core_searchentry`` on SQLite (altering a column) drops the
triggers with the old table: it must run ``SQLITE_TRIGGERS`` again.
"""

import django.db.models.deletion
from django.db import migrations, models

SQLITE_FTS = (
    "CREATE VIRTUAL TABLE core_searchentry_fts USING fts5("
    "text_a, text_b, text_c, content='core_searchentry', content_rowid='id', "
    "tokenize='unicode61', prefix='2 3')"
)
SQLITE_TRIGGERS = [
    "CREATE TRIGGER core_searchentry_fts_ai AFTER INSERT ON core_searchentry BEGIN "
    "INSERT INTO core_searchentry_fts(rowid, text_a, text_b, text_c) "
    "VALUES (new.id, new.text_a, new.text_b, new.text_c); END",
    "CREATE TRIGGER core_searchentry_fts_ad AFTER DELETE ON core_searchentry BEGIN "
    "INSERT INTO core_searchentry_fts(core_searchentry_fts, rowid, text_a, text_b, text_c) "
    "VALUES ('delete', old.id, old.text_a, old.text_b, old.text_c); END",
    "CREATE TRIGGER core_searchentry_fts_au AFTER UPDATE OF text_a, text_b, text_c ON core_searchentry "
    "BEGIN "
    "INSERT INTO core_searchentry_fts(core_searchentry_fts, rowid, text_a, text_b, text_c) "
    "VALUES ('delete', old.id, old.text_a, old.text_b, old.text_c); "
    "INSERT INTO core_searchentry_fts(rowid, text_a, text_b, text_c) "
    "VALUES (new.id, new.text_a, new.text_b, new.text_c); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS core_searchentry_fts_ai",
    "DROP TRIGGER IF EXISTS core_searchentry_fts_ad",
    "DROP TRIGGER IF EXISTS core_searchentry_fts_au",
    "DROP TABLE IF EXISTS core_searchentry_fts",
]
POSTGRES_VECTOR = [
    "ALTER TABLE core_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, text_a), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, text_b), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, text_c), 'C')) STORED",
    "CREATE INDEX core_searchentry_vector ON core_searchentry USING gin (search_vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS core_searchentry_vector",
    "ALTER TABLE core_searchentry DROP COLUMN IF EXISTS search_vector",
]


def _sqlite_has_fts5(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_compileoption_used('ENABLE_FTS5')")
        if cursor.fetchone()[0]:
            return True
        try:  # FTS5 may be loaded without the compile option being reported
            cursor.execute("CREATE VIRTUAL TABLE temp._steward_fts5_probe USING fts5(x)")
            cursor.execute("DROP TABLE temp._steward_fts5_probe")
            return True
        except Exception:
            return False


def create_engine_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite" and _sqlite_has_fts5(schema_editor):
        statements = [SQLITE_FTS, *SQLITE_TRIGGERS]
    elif vendor == "postgresql":
        statements = POSTGRES_VECTOR
    else:
        return
    for sql in statements:
        schema_editor.execute(sql)


def drop_engine_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = SQLITE_DROP if vendor == "sqlite" else POSTGRES_DROP if vendor == "postgresql" else []
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0003_workflow_notifications'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.BigIntegerField()),
                ('title', models.CharField(max_length=200)),
                ('summary', models.CharField(blank=True, max_length=300)),
                ('text_a', models.TextField(blank=True)),
                ('text_b', models.TextField(blank=True)),
                ('text_c', models.TextField(blank=True)),
                ('content_type', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype')),
            ],
            options={
                'verbose_name': 'search entry',
                'verbose_name_plural': 'search entries',
                'ordering': ('content_type', 'object_id'),
                'constraints': [models.UniqueConstraint(fields=('content_type', 'object_id'), name='core_searchentry_unique')],
            },
        ),
        migrations.RunPython(create_engine_index, drop_engine_index, elidable=False),
    ]
