"""``citycoop state ID --true-on`` after a correction of when the partnership
began, as the issue tried it: Los Angeles–Guangzhou recorded since 1982, then
corrected to 8 December 1981. On both stores, through the installed command."""

from __future__ import annotations

import json

from cli_harness import citycoop


def test_state_true_on_follows_a_corrected_since(store: str) -> None:
    cities = ["--city", "Los Angeles:United States", "--city", "Guangzhou:China"]
    established = citycoop(store, "--json", "record", "establish-partnership", *cities, "--since", "1982")
    partnership = json.loads(established.stdout)["id"]
    correction = ["--corrects-version", "1", "--field", "since", "--value", "1981-12-08", "--reason", "Council minutes"]
    assert citycoop(store, "record", "correct", "--record", partnership, *correction).code == 0

    outcome = citycoop(store, "--json", "state", partnership, "--true-on", "1981-12-31")

    assert outcome.code == 0, outcome.stderr
    document = json.loads(outcome.stdout)
    assert document["state"] is not None
    assert document["state"]["since"] == "1981-12-08"
