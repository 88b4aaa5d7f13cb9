"""``mailcomposer stats``: the send log's statistics, the same figures as the window's charts."""

from __future__ import annotations

import argparse

from mailcomposer.i18n import _


def add_arguments(stats: argparse.ArgumentParser) -> None:
    """Add the options of ``stats`` to its parser."""
    stats.description = _(
        "Statistics of the send log: attempts per day by outcome, success rate, failures "
        "by stage and reply code, top recipient domains, message sizes and time to send."
    )
    stats.add_argument("--json", action="store_true", help=_("print one JSON object"))
    stats.add_argument(
        "--since", metavar="YYYY-MM-DD", help=_("only attempts on or after this day")
    )


def run(args: argparse.Namespace) -> int:
    """Print the statistics; 0, or 2 for a bad option."""
    import json

    from mailcomposer.cli.history import read_log
    from mailcomposer.cli.output import EXIT_INPUT, usage_error
    from mailcomposer.store.historyquery import DayError, parse_day
    from mailcomposer.store.stats import compute

    try:
        since = parse_day(args.since) if args.since else None
    except DayError as exc:
        return usage_error("--since", exc.problem)
    records = read_log(lambda history: history.query())
    if records is None:
        return EXIT_INPUT
    stats = compute(records, since=since)
    if args.json:
        print(json.dumps(stats.to_json(), ensure_ascii=False))
        return 0
    for line in describe(stats):
        print(line)
    return 0


def describe(stats) -> list[str]:
    """The statistics as lines of text, with small bar charts."""
    from mailcomposer.cli.history import outcome_word, pad, stage_word
    from mailcomposer.i18n import ngettext
    from mailcomposer.message.sizes import format_size

    lines = [
        _("Send log from {since} to {until}").format(since=stats.since, until=stats.until),
        ngettext("{n} attempt", "{n} attempts", stats.attempts).format(n=stats.attempts),
    ]
    if stats.attempts == 0:
        return lines
    lines.append(
        _("Success rate: {rate:.0%} (sent or partly sent)").format(rate=stats.success_rate)
    )
    lines.append("")
    lines += _bar_lines(stats)
    lines.append("")
    lines.append(_("Outcomes:"))
    for outcome, count in stats.by_outcome.items():
        if count:
            lines.append(f"  {pad(outcome_word(outcome), 10)} {count}")
    if stats.failures_by_stage:
        lines.append(_("Failures by stage:"))
        lines += [f"  {pad(stage_word(s), 10)} {n}" for s, n in stats.failures_by_stage.items()]
        lines.append(_("Failures by reply code:"))
        lines += [
            f"  {pad(_('no reply') if code == 'none' else code, 10)} {n}"
            for code, n in stats.failures_by_code.items()
        ]
    if stats.top_domains:
        lines.append(_("Top recipient domains:"))
        lines += [f"  {pad(domain, 24)} {n}" for domain, n in stats.top_domains]
    lines.append(_("Message sizes:"))
    lines += [f"  {pad(label, 10)} {n}" for label, n in stats.sizes.items()]
    if stats.median_size is not None:
        lines.append(_("  median {size}").format(size=format_size(stats.median_size)))
    if stats.median_time is not None:
        lines.append(
            _("Time to send: median {median:.2f} s, 90% within {p90:.2f} s").format(
                median=stats.median_time, p90=stats.p90_time
            )
        )
    return lines


BAR_LINES = 62  # more days than this are shown by week, month or year
BAR_WIDTH = 40  # characters of the longest bar; longer ones are scaled down


def _bar_lines(stats) -> list[str]:
    """The attempts per day (or week, month, year) as bars of █ sent, ▒ partly, ░ not sent."""
    from mailcomposer.i18n import ngettext
    from mailcomposer.store.stats import group_days

    bars = group_days(stats.per_day, BAR_LINES)
    unit = bars[0].unit if bars else "day"
    headings = {
        "day": _("Per day (█ sent, ▒ partly sent, ░ not sent):"),
        "week": _("Per week from Monday (█ sent, ▒ partly sent, ░ not sent):"),
        "month": _("Per month (█ sent, ▒ partly sent, ░ not sent):"),
        "year": _("Per year (█ sent, ▒ partly sent, ░ not sent):"),
    }
    lines = [headings[unit]]
    longest = max((bar.total for bar in bars), default=0)
    scale = min(1.0, BAR_WIDTH / longest) if longest else 1.0
    if scale < 1:
        lines.append(
            ngettext(
                "(scaled: the longest bar is {n} attempt)",
                "(scaled: the longest bar is {n} attempts)",
                longest,
            ).format(n=longest)
        )
    for bar in bars:
        counts = bar.counts
        parts = (
            ("█", counts["sent"]),
            ("▒", counts["partial"]),
            ("░", counts["failed"] + counts["cancelled"] + counts["unknown"]),
        )
        text, done, shown = "", 0, 0
        for char, count in parts:
            # Rounded where each part ends, so the whole bar is the total scaled.
            done += count
            end = round(done * scale)
            if count and end == shown and shown == 0:
                end = 1  # an attempt is never drawn as nothing
            text += char * max(0, end - shown)
            shown = max(shown, end)
        label = {"month": bar.first.strftime("%Y-%m"), "year": str(bar.first.year)}.get(
            bar.unit, bar.first.isoformat()
        )
        lines.append(f"  {label:<10}  {text} {bar.total}")
    return lines
