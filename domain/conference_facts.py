"""What is on record about a conference from the day it is held, declared
apart from the conference's record so that the command stating it is made
without making the record's classes."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .bounds import QualifierTerm
from .values import NonNegativeInt, PartialDate, Speaker, Text
from .vocabulary import Qualifier


class ConferenceFacts(BaseModel):
    """What is on record about a conference from the day it is held: the
    command that records it states these facts, the Held event keeps them and
    the conference's state holds them, so they are declared here once."""

    model_config = ConfigDict(extra="forbid", defer_build=True)  # see values.Value

    title: Text = Field(description="The conference's title.")
    held_on: PartialDate = Field(description="When: 2023, 2023-05 or 2023-05-05.")
    host_city: Text = Field(description="Where it was held.")
    attendance: NonNegativeInt | None = Field(default=None, description="How many took part.")
    attendance_qualifier: QualifierTerm = Field(
        default=Qualifier.EXACT, description='How the attendance bounds the truth ("nearly 200 guests").'
    )
    organizations: tuple[Text, ...] = Field(default=(), description="An organization taking part.")
    speakers: tuple[Speaker, ...] = Field(default=(), description="Who spoke, as what, and what they said.")

    def stated(self) -> dict[str, Any]:
        """The facts as they are, for an event that records them: values that
        are models stay models, so they are not checked again."""
        return {name: getattr(self, name) for name in ConferenceFacts.model_fields}
