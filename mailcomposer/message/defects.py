"""What the email parser's defects mean, in words (most of them carry no text at all)."""

from __future__ import annotations

from email import errors

from mailcomposer.i18n import N_, _

# The defects the parser records on a part, by class: raised without a message, they
# printed as "A multipart/mixed part is malformed: " with nothing after the colon.
_MEANINGS: dict[type[errors.MessageDefect], str] = {
    errors.NoBoundaryInMultipartDefect: N_("it is multipart but names no boundary"),
    errors.StartBoundaryNotFoundDefect: N_("the boundary it names never starts a part"),
    errors.CloseBoundaryNotFoundDefect: N_(
        "its closing boundary is missing: the message may be cut short"
    ),
    errors.FirstHeaderLineIsContinuationDefect: N_(
        "its first header line is indented, as if it continued another"
    ),
    errors.MisplacedEnvelopeHeaderDefect: N_("a mailbox “From ” line sits among its headers"),
    errors.MissingHeaderBodySeparatorDefect: N_(
        "a header line has no colon, so the body was taken to start there"
    ),
    errors.MultipartInvariantViolationDefect: N_("it says multipart but holds no parts"),
    errors.InvalidMultipartContentTransferEncodingDefect: N_(
        "a multipart part may only be 7bit, 8bit or binary"
    ),
    errors.UndecodableBytesDefect: N_("it holds bytes its character set cannot decode"),
    errors.InvalidBase64PaddingDefect: N_("its base64 text is wrongly padded"),
    errors.InvalidBase64CharactersDefect: N_("its base64 text holds characters base64 has not"),
    errors.InvalidBase64LengthDefect: N_("its base64 text is cut short"),
    errors.HeaderMissingRequiredValue: N_("a header that needs a value has none"),
    errors.NonPrintableDefect: N_("a header holds characters that cannot be shown"),
    errors.ObsoleteHeaderDefect: N_("a header uses an obsolete syntax"),
    errors.NonASCIILocalPartDefect: N_(
        "an address has non-ASCII characters before the @ (needs SMTPUTF8)"
    ),
    errors.InvalidDateDefect: N_("a date cannot be read"),
    errors.HeaderDefect: N_("a header is not well formed"),
    errors.MessageDefect: N_("it is not well formed"),
}


def describe_defect(defect: errors.MessageDefect) -> str:
    """What ``defect`` means, translated; the parser's own text where it gave one."""
    for kind in type(defect).__mro__:
        meaning = _MEANINGS.get(kind)
        if meaning is not None:
            text = str(defect)
            # The header parser's own words are more precise ("expected ':'..."):
            # kept after ours, untranslated as they are.
            return f"{_(meaning)} ({text})" if text else _(meaning)
    return str(defect) or type(defect).__name__  # not a MessageDefect at all
