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
    from mailcomposer.store.historyquery import parse_day
    from mailcomposer.store.stats import compute

    try:
        since = parse_day(args.since) if args.since else None
    except ValueError as exc:
        return usage_error("--since", str(exc).partition(": ")[2] or str(exc))
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
    lines.append(_("Per day (█ sent, ▒ partly sent, ░ not sent):"))
    for day, counts in stats.per_day:
        bar = (
            "█" * counts["sent"]
            + "▒" * counts["partial"]
            + "░" * (counts["failed"] + counts["cancelled"] + counts["unknown"])
        )
        lines.append(f"  {day}  {bar} {sum(counts.values())}")
    lines.append("")
    lines.append(_("Outcomes:"))
    for outcome, count in stats.by_outcome.items():
        if count:
            lines.append(f"  {outcome:<10} {count}")
    if stats.failures_by_stage:
        lines.append(_("Failures by stage:"))
        lines += [f"  {stage:<10} {n}" for stage, n in stats.failures_by_stage.items()]
        lines.append(_("Failures by reply code:"))
        lines += [f"  {code:<10} {n}" for code, n in stats.failures_by_code.items()]
    if stats.top_domains:
        lines.append(_("Top recipient domains:"))
        lines += [f"  {domain:<24} {n}" for domain, n in stats.top_domains]
    lines.append(_("Message sizes:"))
    lines += [f"  {label:<10} {n}" for label, n in stats.sizes.items()]
    if stats.median_size is not None:
        lines.append(_("  median {size}").format(size=format_size(stats.median_size)))
    if stats.median_time is not None:
        lines.append(
            _("Time to send: median {median:.2f} s, 90% within {p90:.2f} s").format(
                median=stats.median_time, p90=stats.p90_time
            )
        )
    return lines
