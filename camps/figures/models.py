"""Counts the dashboard reads instead of every person, kept in step by database triggers.

The triggers live in migration 0007: every insert, delete or change of a person, a specific need or
a household's status or camp adds or removes its share here, in the same transaction, whichever code
made the change (desk, import, merge, demo loader). ``camps.figures.population.recount`` rebuilds
both tables from scratch, and the tests check the two always agree.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class PopulationCount(Base):
    """Counted people (active, in an active household) of a camp by sex and date of birth."""

    __tablename__ = "population_counts"
    #: on SQLite the rows live in the primary key's order, so a range of birth dates is read in one seek
    __table_args__ = {"sqlite_with_rowid": False}

    camp_id: Mapped[int] = mapped_column(ForeignKey("camps.id"), primary_key=True)
    sex: Mapped[str] = mapped_column(String(1), primary_key=True)
    birth_date: Mapped[date] = mapped_column(Date, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class NeedCount(Base):
    """Specific needs of counted people, by camp and code."""

    __tablename__ = "need_counts"
    __table_args__ = {"sqlite_with_rowid": False}

    camp_id: Mapped[int] = mapped_column(ForeignKey("camps.id"), primary_key=True)
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
