"""Data classes whose methods are shared instead of compiled: the records read at start.

``dataclasses.dataclass`` writes the source of ``__init__``, ``__repr__``, ``__eq__`` and,
for a frozen class, ``__setattr__``, ``__delattr__`` and ``__hash__``, and compiles each
with ``exec`` as the class is defined: on Python 3.11 about half a millisecond a class,
4.7 ms for the nine records the composer reads before its first paint (docs/design.md,
"The launch"). ``record`` makes the same dataclass (``fields()``, ``replace()``,
``asdict()``, pattern matching and type checkers see one) whose methods are written
once, here, and read the class's fields: defining a record costs ~0.05 ms. Creating one
costs a microsecond or two more, which nothing that makes these records notices.
``tests/unit/test_records.py`` holds every record to a generated dataclass twin.

Supported: defaults, ``field(default_factory=..., repr=..., compare=..., hash=...)``,
``__post_init__``, ``frozen``, ``repr=False`` (keep an inherited ``__repr__``) and
records inheriting records. Anything else (``init=False`` fields, ``kw_only``,
``InitVar``, a class defining its own ``__init__``, ``__eq__`` or ``__hash__``) is refused
when the class is defined: use ``dataclass`` there.
"""

from __future__ import annotations

import dataclasses
import reprlib

TYPE_CHECKING = False  # typing stays unloaded at run time (send's memory budget)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar, dataclass_transform, overload

    _T = TypeVar("_T")
else:

    def dataclass_transform(**_options):
        """Tells type checkers that ``record`` makes dataclasses; nothing at run time."""
        return lambda decorator: decorator


__all__ = ["record"]

_MISSING = dataclasses.MISSING
_OWN_METHODS = ("__init__", "__eq__", "__hash__", "__setattr__", "__delattr__")


class _Factory:
    """What ``inspect.signature`` shows for a default made by a factory (as dataclasses do)."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


class _Layout:
    """What the shared methods need to know of one record class, worked out once."""

    __slots__ = ("_signature", "compare", "hash", "init", "post_init", "repr_names")

    def __init__(self, cls: type) -> None:
        fields = dataclasses.fields(cls)
        self.init = tuple((f.name, f.default, f.default_factory) for f in fields)
        self.repr_names = tuple(f.name for f in fields if f.repr)
        self.compare = _getter(tuple(f.name for f in fields if f.compare))
        hashed = tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash))
        self.hash = _getter(hashed)
        self.post_init = getattr(cls, "__post_init__", None)
        self._signature: Any = None

    def signature(self, cls: type) -> Any:
        if self._signature is None:
            import inspect

            kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
            params = []
            for f in dataclasses.fields(cls):
                default = f.default
                if f.default_factory is not _MISSING:
                    default = _FACTORY
                elif default is _MISSING:
                    default = inspect.Parameter.empty
                params.append(inspect.Parameter(f.name, kind, default=default, annotation=f.type))
            self._signature = inspect.Signature(params, return_annotation=None)
        return self._signature


def _getter(names: tuple[str, ...]) -> Callable[[object], tuple]:
    """A function returning the named attributes as one tuple (what dataclasses compare)."""
    return lambda obj: tuple(getattr(obj, name) for name in names)


class _Signature:
    """``inspect.signature(SomeRecord)``: built on first use, not at start."""

    def __get__(self, obj: object, cls: type) -> Any:
        return cls.__record__.signature(cls)


def _init(self: object, *args: object, **kwargs: object) -> None:
    cls = type(self)
    layout: _Layout = cls.__record__
    if len(args) > len(layout.init):
        raise TypeError(
            f"{cls.__qualname__}() takes {len(layout.init)} positional arguments "
            f"but {len(args)} were given"
        )
    set_attribute = object.__setattr__
    for index, (name, default, factory) in enumerate(layout.init):
        if index < len(args):
            if name in kwargs:
                raise TypeError(f"{cls.__qualname__}() got multiple values for argument {name!r}")
            value = args[index]
        elif name in kwargs:
            value = kwargs.pop(name)
        elif factory is not _MISSING:
            value = factory()
        elif default is not _MISSING:
            value = default
        else:
            raise TypeError(f"{cls.__qualname__}() missing required argument {name!r}")
        set_attribute(self, name, value)
    if kwargs:
        raise TypeError(
            f"{cls.__qualname__}() got an unexpected keyword argument {next(iter(kwargs))!r}"
        )
    if layout.post_init is not None:
        layout.post_init(self)


@reprlib.recursive_repr()
def _repr(self: object) -> str:
    layout: _Layout = type(self).__record__
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in layout.repr_names)
    return f"{type(self).__qualname__}({shown})"


def _eq(self: object, other: object) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    compare = type(self).__record__.compare
    return compare(self) == compare(other)


def _hash(self: object) -> int:
    return hash(type(self).__record__.hash(self))


def _frozen_setattr(self: object, name: str, value: object) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: object, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _make(cls: type[_T], frozen: bool, repr: bool) -> type[_T]:
    own = [name for name in _OWN_METHODS if name in cls.__dict__]
    if own:
        raise TypeError(f"record {cls.__qualname__} defines {', '.join(own)}: use dataclass")
    cls = dataclasses.dataclass(cls, init=False, repr=False, eq=False)
    for name, f in cls.__dataclass_fields__.items():
        # An InitVar is no field (``fields()`` leaves it out) but an __init__ argument.
        initvar = "InitVar" in str(f.type)
        if not f.init or f.kw_only is True or initvar:
            raise TypeError(f"record {cls.__qualname__}.{name}: unsupported field, use dataclass")
    cls.__record__ = _Layout(cls)
    cls.__init__ = _init
    cls.__signature__ = _Signature()
    if repr and "__repr__" not in cls.__dict__:
        cls.__repr__ = _repr
    cls.__eq__ = _eq
    if frozen:
        cls.__setattr__ = _frozen_setattr
        cls.__delattr__ = _frozen_delattr
        cls.__hash__ = _hash
    else:
        cls.__hash__ = None  # mutable and comparable: unhashable, as a dataclass
    return cls


if TYPE_CHECKING:

    @overload
    def record(cls: type[_T], /) -> type[_T]: ...
    @overload
    def record(*, frozen: bool = False, repr: bool = True) -> Callable[[type[_T]], type[_T]]: ...


@dataclass_transform(field_specifiers=(dataclasses.field, dataclasses.Field))
def record(cls: type[Any] | None = None, /, *, frozen: bool = False, repr: bool = True) -> Any:
    """Make ``cls`` a dataclass with shared methods: ``@record`` or ``@record(frozen=True)``.

    ``repr=False`` keeps an inherited ``__repr__`` (one defined in the class itself is
    always kept), as with ``dataclass``.
    """

    def wrap(cls: type[_T]) -> type[_T]:
        return _make(cls, frozen, repr)

    return wrap if cls is None else wrap(cls)
