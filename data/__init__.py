"""Storage: the SQL schema, repositories, the unit of work, migrations and the seed catalog."""
