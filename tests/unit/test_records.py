"""@record behaves as the dataclass it stands for: each record is held to a generated twin."""

from __future__ import annotations

import copy
import dataclasses
import enum
import functools
import inspect
import pickle
from pathlib import Path
from typing import Any

import pytest

from mailcomposer import records
from mailcomposer.message.draft import Attachment, Draft, InlineImage, Priority
from mailcomposer.records import record
from mailcomposer.smtp.bearer import RenewableToken
from mailcomposer.smtp.settings import Secret, Security, ServerSettings, Timeouts
from mailcomposer.store.accounts import Account, Identity
from mailcomposer.store.paths import Home

# What each record needs to be made, beyond its defaults.
REQUIRED: dict[type, dict[str, Any]] = {
    Timeouts: {},
    ServerSettings: {"host": "mail.example.org"},
    Secret: {"value": "hunter2"},
    RenewableToken: {"value": "token"},
    Home: {"root": Path("/home/ann/mc")},
    Identity: {"name": "Ann", "address": "ann@example.org"},
    Account: {"name": "Work", "server": ServerSettings("mail.example.org")},
    InlineImage: {"name": "a.png", "data": b"\x89PNG", "content_type": "image/png"},
    Attachment: {"filename": "a.txt"},
    Draft: {},
}


@functools.cache
def twin(cls: type) -> type:
    """The dataclass ``dataclasses.dataclass`` would have made of ``cls``'s fields."""
    specs = []
    for f in dataclasses.fields(cls):
        options: dict[str, Any] = {"repr": f.repr, "compare": f.compare, "hash": f.hash}
        if f.default_factory is not dataclasses.MISSING:
            options["default_factory"] = f.default_factory
        elif f.default is not dataclasses.MISSING:
            options["default"] = f.default
        specs.append((f.name, f.type, dataclasses.field(**options)))
    namespace = {} if cls.__repr__ is records._repr else {"__repr__": cls.__repr__}
    frozen = cls.__setattr__ is records._frozen_setattr
    return dataclasses.make_dataclass(cls.__qualname__, specs, namespace=namespace, frozen=frozen)


def other(value: Any) -> Any:
    """A value of the same kind that is not equal to ``value``."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, enum.Enum):
        return next(member for member in type(value) if member != value)
    if isinstance(value, int | float):
        return value + 1
    if isinstance(value, str | bytes):
        return value + value[:0].__class__("x" if isinstance(value, str) else b"x")
    if isinstance(value, Path):
        return value / "other"
    if isinstance(value, list):
        return [*value, "x"]
    if value is None:
        return "x"
    if dataclasses.is_dataclass(value):
        first = dataclasses.fields(value)[0].name
        return dataclasses.replace(value, **{first: other(getattr(value, first))})
    raise AssertionError(f"no other value for {value!r}")


def both(cls: type, **changes: Any) -> tuple[Any, Any]:
    values = {**REQUIRED[cls], **changes}
    return cls(**values), twin(cls)(**values)


@pytest.mark.parametrize("cls", list(REQUIRED), ids=lambda cls: cls.__qualname__)
def test_a_record_is_its_dataclass_twin(cls: type) -> None:
    made, expected = both(cls)
    assert dataclasses.is_dataclass(cls)
    assert cls.__init__ is records._init  # not compiled (the point of @record)
    assert str(inspect.signature(cls)) == str(inspect.signature(type(expected)))
    assert repr(made) == repr(expected)
    assert dataclasses.asdict(made) == dataclasses.asdict(expected)
    assert dataclasses.astuple(made) == dataclasses.astuple(expected)
    assert cls.__match_args__ == type(expected).__match_args__
    # Positional arguments in field order make the same record.
    assert cls(*[getattr(made, f.name) for f in dataclasses.fields(cls)]) == made
    for f in dataclasses.fields(cls):
        changed, changed_twin = both(cls, **{f.name: other(getattr(made, f.name))})
        assert (changed == made) == (changed_twin == expected), f.name
        assert (changed != made) == (changed_twin != expected), f.name
        assert repr(changed) == repr(changed_twin), f.name
    assert made != object() and made.__eq__(object()) is NotImplemented


@pytest.mark.parametrize("cls", list(REQUIRED), ids=lambda cls: cls.__qualname__)
def test_a_record_hashes_and_freezes_as_its_twin(cls: type) -> None:
    made, expected = both(cls)
    frozen = type(expected).__dataclass_params__.frozen
    if not frozen:
        assert cls.__hash__ is None and type(expected).__hash__ is None
        made.__dict__  # noqa: B018 (a mutable record takes new values)
        first = dataclasses.fields(cls)[0].name
        setattr(made, first, other(getattr(made, first)))
        return
    try:
        expected_hash = hash(expected)
    except TypeError:  # a list inside (Account.identities): neither hashes
        with pytest.raises(TypeError):
            hash(made)
    else:
        assert hash(made) == expected_hash
    for f in dataclasses.fields(cls):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(made, f.name, getattr(made, f.name))
        with pytest.raises(dataclasses.FrozenInstanceError):
            delattr(made, f.name)
    assert dataclasses.replace(made) == made
    assert copy.deepcopy(made) == made


def test_wrong_arguments_are_refused_as_dataclasses_refuse_them() -> None:
    twin_settings = twin(ServerSettings)
    for args, kwargs in [
        ((), {}),  # host missing
        (("h",), {"host": "h"}),  # host twice
        (("h",), {"colour": "red"}),  # no such field
        (tuple(range(11)), {}),  # one positional too many
    ]:
        with pytest.raises(TypeError):
            twin_settings(*args, **kwargs)
        with pytest.raises(TypeError, match=r"ServerSettings\(\)"):
            ServerSettings(*args, **kwargs)


def test_factories_make_a_new_value_for_each_record() -> None:
    first, second = Draft(), Draft()
    first.attachments.append(Attachment("a.txt"))
    assert second.attachments == []
    assert ServerSettings("h").timeouts == Timeouts()
    assert ServerSettings("h").timeouts is not ServerSettings("h").timeouts


def test_records_pickle_copy_and_match() -> None:
    draft = Draft(to="bob@example.org", priority=Priority.HIGH, attachments=[Attachment("a")])
    assert pickle.loads(pickle.dumps(draft)) == draft
    assert copy.deepcopy(draft) == draft and copy.deepcopy(draft) is not draft
    settings = ServerSettings("mail.example.org", 465, Security.TLS)
    assert pickle.loads(pickle.dumps(settings)) == settings
    match settings:
        case ServerSettings(host, port, security):
            assert (host, port, security) == ("mail.example.org", 465, Security.TLS)
        case _:
            raise AssertionError("no match")


def test_a_secret_stays_hidden_in_every_record_that_holds_one() -> None:
    token = RenewableToken("ya29.secret", renew=lambda: "new")
    assert "ya29" not in repr(token) and "ya29" not in str(token)
    assert "hunter2" not in repr(Secret("hunter2"))
    assert token == RenewableToken("ya29.secret")  # renew and fetch are not compared


def test_post_init_runs_and_recursion_is_shown_as_in_dataclasses() -> None:
    seen = []

    @record
    class Node:
        name: str
        children: list = dataclasses.field(default_factory=list)

        def __post_init__(self) -> None:
            seen.append(self.name)

    node = Node("root")
    node.children.append(node)
    assert seen == ["root"]
    assert repr(node).endswith("Node(name='root', children=[...])")


@pytest.mark.parametrize(
    "body",
    [
        "def __init__(self): pass",
        "def __eq__(self, other): return True",
        "y: int = dataclasses.field(default=0, init=False)",
        "y: int = dataclasses.field(default=0, kw_only=True)",
        "y: dataclasses.InitVar[int] = 0",
    ],
)
def test_what_record_does_not_do_is_refused_when_the_class_is_made(body: str) -> None:
    namespace: dict[str, Any] = {"dataclasses": dataclasses, "record": record}
    source = f"@record\nclass Odd:\n    x: int = 0\n    {body}\n"
    with pytest.raises(TypeError, match="use dataclass"):
        exec(source, namespace)
