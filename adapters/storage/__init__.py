"""Where the log lives and how it is written and read: the store's location,
the recorders of SQLite and PostgreSQL with the SQL that differs between them
(``sql.StoreSQL``, chosen once, where the store is opened), the record hash
chains that seal every event, and the codec between events and stored bytes.
Nothing here knows commands, projections or the audit."""
