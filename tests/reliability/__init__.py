"""Reliability: concurrent writers, crashes, database faults, hostile input and
secrets never lose or corrupt the record (issue 9)."""
