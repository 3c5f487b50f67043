"""The base of every model the API reads or answers."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """A pydantic model whose validator and serializer are built on first use, not when its class is defined: a
    function imports every model of the packages it uses and needs a few of them (sign-in imported 16 and used
    2), and each build is paid at every cold start (docs/decisions.md, "The code's own cold-start levers")."""

    model_config = ConfigDict(defer_build=True)
