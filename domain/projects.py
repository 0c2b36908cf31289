"""The projects of a partnership's records: introduced at a conference, or
signed there and named one by one in an agreement.

They are declared apart from the records that hold them so that a command
stating one is made without making those records' classes (each a dozen
pydantic models): a command on a partnership loads neither.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .values import LongText, Number, Text, Value

ProjectCount = Annotated[int, Number, Field(ge=1, le=100_000)]


class SignedProject(Value):
    name: Text
    parties: tuple[Text, ...] = ()
    description: LongText | None = None


class IntroducedProject(Value):
    name: Text
    description: LongText | None = None
