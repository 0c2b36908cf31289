"""The write side: the commands a clerk can give (``commands``), what each
does (``handlers``, over a ``unit_of_work``), the application service that
records a batch of them in one transaction (``service``), and import files
(``importing``). Writers reach it through the write door, ``adapters.writes``."""
