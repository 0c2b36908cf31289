"""The steps that more than one feature uses: recording the facts of a
partnership's story, the refusals, and the founding story as a whole.

Each step states one fact through the write door, the same door the CLI
uses, and reads through the read door beside it. A fact can open a scenario as a Given ("Wuxi hosted …") or be the
clerk's command under test as a When ("the clerk records that Wuxi hosted …"),
in which case a refusal is kept for the Then steps to examine.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from uuid import UUID, uuid4

import pytest
from pytest_bdd import given, parsers, then, when

from citycoop.adapters.writes import Writes
from citycoop.domain.vocabulary import normalise_term

from .chronicle import CLERK, TYPES, Bounded, Chronicle, fact


@pytest.fixture
def chronicle(store: str) -> Iterator[Chronicle]:
    """The story of one scenario, on the store it runs against."""
    with Writes.open(store) as writes:
        story = Chronicle(writes, writes.reads)
        yield story
    story.assert_every_refusal_examined()


# Partnerships -----------------------------------------------------------------

ESTABLISHED = "{city_a} ({country_a}) and {city_b} ({country_b}) became partners at the {stage} stage in {since:Date}"


@fact(ESTABLISHED)
def _(
    chronicle: Chronicle, *, city_a: str, country_a: str, city_b: str, country_b: str, stage: str, since: str
) -> None:
    _establish(
        chronicle, city_a=city_a, country_a=country_a, city_b=city_b, country_b=country_b, stage=stage, since=since
    )


@fact(f"{ESTABLISHED}, cooperating in")
def _(
    chronicle: Chronicle,
    *,
    city_a: str,
    country_a: str,
    city_b: str,
    country_b: str,
    stage: str,
    since: str,
    datatable: list[list[str]],
) -> None:
    fields = [row[0] for row in datatable]
    _establish(
        chronicle,
        city_a=city_a,
        country_a=country_a,
        city_b=city_b,
        country_b=country_b,
        stage=stage,
        since=since,
        fields=fields,
    )


def _establish(
    chronicle: Chronicle,
    *,
    city_a: str,
    country_a: str,
    city_b: str,
    country_b: str,
    stage: str,
    since: str,
    fields: list[str] | tuple[()] = (),
) -> None:
    partnership_id = chronicle.record(
        "establish-partnership",
        city_a={"name": city_a, "country": country_a},
        city_b={"name": city_b, "country": country_b},
        since=since,
        stage=stage,
        fields=fields,
    )
    if partnership_id is not None:
        chronicle.partnerships[f"{city_a} and {city_b}"] = partnership_id


@fact("{pair} began to cooperate in {field}")
def _(chronicle: Chronicle, *, pair: str, field: str) -> None:
    partnership_id = chronicle.partnerships[pair]
    chronicle.record("add-field", partnership=str(partnership_id), field=field)


INVESTING = "{enterprises:Bounded} enterprises investing {currency} {amount:Figure} as of {as_of:Date}"


@fact(f"{{pair}} reported {INVESTING}")
def _(chronicle: Chronicle, *, pair: str, enterprises: Bounded, currency: str, amount: str, as_of: str) -> None:
    partnership_id = chronicle.partnerships[pair]
    chronicle.record(
        "report-investment",
        partnership=str(partnership_id),
        enterprises=enterprises.figure,
        enterprises_qualifier=enterprises.qualifier,
        amount=amount,
        currency=currency,
        as_of=as_of,
    )


@fact('{pair} launched the {kind} "{name}"')
def _(chronicle: Chronicle, *, pair: str, kind: str, name: str) -> None:
    partnership_id = chronicle.partnerships[pair]
    chronicle.record("launch-initiative", partnership=str(partnership_id), name=name, initiative_kind=kind)


@fact('{pair} launched the {kind} "{name}" in {started:Date}')
def _(chronicle: Chronicle, *, pair: str, kind: str, name: str, started: str) -> None:
    partnership_id = chronicle.partnerships[pair]
    chronicle.record(
        "launch-initiative", partnership=str(partnership_id), name=name, initiative_kind=kind, started=started
    )


@then(parsers.parse("the partnership of {pair} is at the {stage} stage since {since:Date}", extra_types=TYPES))
def _(chronicle: Chronicle, *, pair: str, stage: str, since: str) -> None:
    partnership = chronicle.reads.record(chronicle.partnerships[pair])
    assert (partnership.state.stage, partnership.state.since) == (normalise_term(stage), since)


@then(parsers.parse("the partnership of {pair} covers"))
def _(chronicle: Chronicle, *, pair: str, datatable: list[list[str]]) -> None:
    partnership = chronicle.reads.record(chronicle.partnerships[pair])
    assert partnership.state.fields == [normalise_term(row[0]) for row in datatable]


# Conferences and signings -------------------------------------------------------

HOSTED = '{host} hosted "{title}" for {pair} on {held_on:Date}'


@fact(HOSTED)
def _(chronicle: Chronicle, *, host: str, title: str, pair: str, held_on: str) -> None:
    _hold(chronicle, host=host, title=title, pair=pair, held_on=held_on)


@fact(f"{HOSTED} with {{attendance:Bounded}} guests")
def _(chronicle: Chronicle, *, host: str, title: str, pair: str, held_on: str, attendance: Bounded) -> None:
    _hold(chronicle, host=host, title=title, pair=pair, held_on=held_on, attendance=attendance)


@fact(f"{HOSTED} with {{attendance:Bounded}} guests, among them people from")
def _(
    chronicle: Chronicle,
    *,
    host: str,
    title: str,
    pair: str,
    held_on: str,
    attendance: Bounded,
    datatable: list[list[str]],
) -> None:
    organizations = [row[0] for row in datatable]
    _hold(
        chronicle,
        host=host,
        title=title,
        pair=pair,
        held_on=held_on,
        attendance=attendance,
        organizations=organizations,
    )


def _hold(
    chronicle: Chronicle,
    *,
    host: str,
    title: str,
    pair: str,
    held_on: str,
    attendance: Bounded | None = None,
    organizations: list[str] | tuple[()] = (),
) -> None:
    partnership_id = chronicle.partnerships[pair]
    conference_id = chronicle.record(
        "hold-conference",
        partnership=str(partnership_id),
        title=title,
        held_on=held_on,
        host_city=host,
        attendance=attendance and attendance.figure,
        attendance_qualifier=attendance.qualifier if attendance else "exact",
        organizations=organizations,
    )
    if conference_id is not None:
        chronicle.conferences[held_on] = conference_id


@fact('"{project}" was introduced at the conference of {held_on:Date}')
def _(chronicle: Chronicle, *, project: str, held_on: str) -> None:
    conference_id = chronicle.conferences[held_on]
    chronicle.record("introduce-project", conference=str(conference_id), name=project)


@fact("{count:d} {category} projects were signed for {pair} at the conference of {held_on:Date}")
def _(chronicle: Chronicle, *, count: int, category: str, pair: str, held_on: str) -> None:
    partnership_id, conference_id = chronicle.partnerships[pair], chronicle.conferences[held_on]
    agreement_id = chronicle.record(
        "sign-projects", partnership=str(partnership_id), conference=str(conference_id), category=category, count=count
    )
    if agreement_id is not None:
        chronicle.agreements[(held_on, category)] = agreement_id


@fact("{count:d} {category} projects were signed for {pair} at a conference that was never held")
def _(chronicle: Chronicle, *, count: int, category: str, pair: str) -> None:
    partnership_id = chronicle.partnerships[pair]
    never_held = uuid4()
    chronicle.record(
        "sign-projects", partnership=str(partnership_id), conference=str(never_held), category=category, count=count
    )


# Corrections ------------------------------------------------------------------


ATTENDANCE_CORRECTED = 'the attendance at the conference of {held_on:Date} to {value:d}, because "{reason:Quote}"'


@given(parsers.parse(f"the clerk corrected {ATTENDANCE_CORRECTED}", extra_types=TYPES))
@when(parsers.parse(f"the clerk corrects {ATTENDANCE_CORRECTED}", extra_types=TYPES))
def _(chronicle: Chronicle, *, held_on: str, value: int, reason: str) -> None:
    _correct(chronicle, chronicle.conferences[held_on], "attendance", value, reason)


SINCE_CORRECTED = 'the date {pair} became partners to {since:Date}, because "{reason:Quote}"'


@when(parsers.parse(f"the clerk corrects {SINCE_CORRECTED}", extra_types=TYPES))
def _(chronicle: Chronicle, *, pair: str, since: str, reason: str) -> None:
    _correct(chronicle, chronicle.partnerships[pair], "since", since, reason)


ENTERPRISES_CORRECTED = 'the number of enterprises reported by {pair} to {value:Bounded}, because "{reason:Quote}"'


@when(parsers.parse(f"the clerk corrects {ENTERPRISES_CORRECTED}", extra_types=TYPES))
def _(chronicle: Chronicle, *, pair: str, value: Bounded, reason: str) -> None:
    _correct_enterprises(chronicle, pair, value, reason, source=None)


@when(parsers.parse(f'the clerk corrects {ENTERPRISES_CORRECTED}, citing "{{source}}"', extra_types=TYPES))
def _(chronicle: Chronicle, *, pair: str, value: Bounded, reason: str, source: str) -> None:
    _correct_enterprises(chronicle, pair, value, reason, source=source)


def _correct_enterprises(chronicle: Chronicle, pair: str, value: Bounded, reason: str, source: str | None) -> None:
    """Correct the number, and how it bounds the truth where that changed too."""
    partnership_id = chronicle.partnerships[pair]
    _correct(chronicle, partnership_id, "investment.enterprises", value.figure, reason, source=source)
    investment = chronicle.reads.record(partnership_id).state.investment
    if investment is not None and investment.enterprises_qualifier != value.qualifier:
        _correct(chronicle, partnership_id, "investment.enterprises_qualifier", value.qualifier, reason, source=source)


def _correct(  # noqa: PLR0917 - a correction's four parts, in the order the clerk states them
    chronicle: Chronicle, record_id: UUID, field: str, value: object, reason: str, source: str | None = None
) -> None:
    """Correct the event that last stated the fact, as a clerk reading the record would."""
    stated_by = chronicle.reads.record(record_id).state.fact_versions[field.partition(".")[0]][-1]
    chronicle.record(
        "correct",
        source=source,
        record=str(record_id),
        corrects_version=stated_by,
        field=field,
        value=value,
        reason=reason,
    )


# What the read models show ------------------------------------------------------


@then(
    parsers.parse(
        "the summary of {pair} shows {total:d} projects signed: {strategic:d} strategic and {industrial:d} industrial"
    )
)
def _(chronicle: Chronicle, *, pair: str, total: int, strategic: int, industrial: int) -> None:
    summary = chronicle.read_models().partnership(chronicle.partnerships[pair])
    assert (summary.projects_total, summary.projects_by_category) == (
        total,
        {"strategic": strategic, "industrial": industrial},
    )


@then(parsers.parse(f"the summary of {{pair}} shows {INVESTING}", extra_types=TYPES))
def _(chronicle: Chronicle, *, pair: str, enterprises: Bounded, currency: str, amount: str, as_of: str) -> None:
    figures = chronicle.read_models().partnership(chronicle.partnerships[pair]).investment
    assert figures is not None
    shown = (figures.enterprises_qualifier, figures.enterprises)
    assert (shown, figures.amount.amount, figures.amount.currency, figures.as_of) == (
        enterprises,
        Decimal(amount),
        currency,
        as_of,
    )


REGISTERED = "the conference register shows the conference of {held_on:Date} hosted by {host}"


@then(parsers.parse(f"{REGISTERED} with {{attendance:Bounded}} guests", extra_types=TYPES))
def _(chronicle: Chronicle, *, held_on: str, host: str, attendance: Bounded) -> None:
    entry = chronicle.read_models().conference(chronicle.conferences[held_on])
    assert (entry.held_on, entry.host_city, entry.attendance_qualifier, entry.attendance) == (
        held_on,
        host,
        *attendance,
    )


# The founding story and refusals -------------------------------------------------


@given("the founding story is on record")
def _(chronicle: Chronicle) -> None:
    chronicle.learn(chronicle.writes.record_demo(actor=CLERK).ids)


@then(parsers.parse('the clerk is told "{message}"'))
def _(chronicle: Chronicle, *, message: str) -> None:
    refusal = chronicle.take_refusal()
    assert message in str(refusal), f"the clerk was told {str(refusal)!r}"


@then("the log is exactly as it was")
def _(chronicle: Chronicle) -> None:
    assert chronicle.log_before_last_command is not None, "no command was given"
    assert chronicle.log() == chronicle.log_before_last_command
