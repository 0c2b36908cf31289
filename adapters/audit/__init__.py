"""What auditors need: every event with its metadata, past states on two time
axes, proof that the log was not altered, and an export that can be restored.
The doors reach it through ``auditor.Auditor``.

Modules: ``storage`` (the SQL of the log read as columns and of the audit
tables, over the store's ``StoreSQL``), ``event_log`` (decoded events, paged
and filtered), ``history`` (one record's events with what each changed),
``time_travel`` (records as of a version or a recorded time, where the log
stood at a recorded time; bitemporal queries), ``global_chain`` (the chain
over log order, kept in its own table), ``record_chains``, ``verification``
and ``report`` (``audit verify``) and ``export`` (JSON Lines out and back in).
"""
