"""The read models' JSON Schema, as exported to ``schemas/``: the schema of
each model as it is serialised, which is what readers receive."""

from __future__ import annotations

from typing import Any

from .models import READ_MODELS


def schema_files() -> dict[str, dict[str, Any]]:
    """``{"PartnershipSummary.schema.json": {...}, ...}``"""
    return {
        f"{model.__name__}.schema.json": {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            **model.model_json_schema(mode="serialization"),
        }
        for model in READ_MODELS
    }
