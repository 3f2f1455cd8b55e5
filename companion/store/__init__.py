"""SQLite storage through SQLModel: tables, engine, Alembic migrations, repositories, backups."""
