"""Use cases over a unit of work, returning plain frozen dataclasses (never ORM objects).

Every function takes an open SQLAlchemy ``Session`` (the caller owns it:
``with db.uow() as s:``). Modules are named by subject; write services join them later.
"""
