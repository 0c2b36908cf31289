"""What auditors need: every event with its metadata, past states on two time
axes, proof that the log was not altered, and an export that can be restored.

Modules: ``storage`` (raw SQL for the log and the audit tables, per store),
``event_log`` (decoded events, paged and filtered), ``history`` (one record's
events with what each changed), ``time_travel`` (records and read models as of
a version, a recorded time or a log position; bitemporal queries),
``global_chain`` (the chain over log order, kept in its own table),
``verification`` (``audit verify``) and ``export`` (JSON Lines out and back in).
"""
