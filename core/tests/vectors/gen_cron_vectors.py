#!/usr/bin/env python3
"""Generate cron_vectors.json: next fire times from croniter, an independent implementation of the
same five-field cron semantics, for core/tests/schedule_vectors.rs to compare `core::schedule`
against. The Rust test reads the committed JSON and needs no network or Python.

    pip install croniter==7.0.0
    python3 core/tests/vectors/gen_cron_vectors.py > core/tests/vectors/cron_vectors.json

Kubernetes reads schedules with Go robfig/cron v3, which is the truth. Where croniter's semantics
differ from robfig's, this script avoids or corrects the difference and says so:

- Day-of-week 7 (croniter: Sunday; robfig: an error) is never generated.
- `*/1` and lists containing `*` in the day fields: robfig still counts them as "star" for the
  day-of-month/day-of-week rule (AND), croniter as restricted (OR). Never generated.
- Spring-forward: croniter runs a wall time that the clock skips at the first instant after the
  gap (02:30 -> 03:00); robfig does not run it that day. Such fire times (their local hour or
  minute is not one the expression allows) are removed and listed under "dropped" in the case.
- A one-value range `n-n`: croniter 7 reads it as `*` (a croniter bug; robfig: just n). Never
  generated.
- Errors: croniter's messages are not robfig's; invalid expressions are tested in Rust unit tests.

The output is deterministic (fixed seed, fixed instants).
"""

import json
import random
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import croniter as croniter_module
from croniter import croniter

FIRE_TIMES_PER_CASE = 6
MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Asia/Jakarta", "Australia/Sydney"]
FROM_INSTANTS = [
    "2024-01-01T00:00:00Z",
    "2023-12-31T23:59:59Z",
    "2024-02-28T23:59:30Z",
    "2024-03-09T12:00:00Z",
    "2024-03-30T12:00:00Z",
    "2024-10-26T12:00:00Z",
    "2024-11-02T12:00:00Z",
    "2025-06-15T08:17:42Z",
    "2027-02-27T00:00:00Z",
]

HANDPICKED = [
    "* * * * *",
    "*/15 * * * *",
    "0/15 * * * *",
    "5/15 * * * *",
    "0 * * * *",
    "30 2 * * *",
    "15 1 * * *",
    "0 0 * * 0",
    "30 2 * * 1",
    "0 9 * * 1-5",
    "*/15 9-17 * * MON-FRI",
    "0 0 1 * 5",
    "0 0 2 * FRI",
    "0 12 1,15 * 1-5",
    "0 0 31 * *",
    "0 0 30 * *",
    "0 0 29 2 *",
    "0 0 29 feb *",
    "59 23 28-31 * *",
    "0 0 1 jan,jul *",
    "0 0 1 JAN-MAR/2 *",
    "0 0 * * mon/2",
    "0 6 ? * ?",
    "0 0 13 * 5",
    "0 0 */2 * 2",
    "10,20,30 */6 * * *",
    "0 0-23/5 * * *",
    "45 23 31 12 *",
    "0 0 1 1 *",
    "@yearly",
    "@annually",
    "@monthly",
    "@weekly",
    "@daily",
    "@midnight",
    "@hourly",
    "7 7 7 7 *",
    "0 4 8-14 * 1",
]

# Schedules that DST nights treat specially, run from just before each transition.
DST_EXPRESSIONS = [
    "30 2 * * *",
    "0 2 * * *",
    "30 1 * * *",
    "0 1 * * *",
    "0 3 * * *",
    "59 1 * * *",
    "0 * * * *",
    "*/15 * * * *",
    "*/20 1-3 * * *",
    "30 1-3 * * *",
    "15 2 * * 0",
    "0 1-3 * * *",
    "@hourly",
    "@daily",
]
DST_NIGHTS = {
    "America/New_York": ["2024-03-10T07:00:00Z", "2024-11-03T06:00:00Z", "2025-03-09T07:00:00Z",
                         "2025-11-02T06:00:00Z"],
    "Europe/Berlin": ["2024-03-31T01:00:00Z", "2024-10-27T01:00:00Z", "2025-03-30T01:00:00Z",
                      "2025-10-26T01:00:00Z"],
}


def instant(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def render(rng, value, low, names):
    """A field value as a number or, sometimes, its name in some letter case."""
    if names and rng.random() < 0.4:
        name = names[value - low]
        return rng.choice([name, name.upper(), name.capitalize()])
    return str(value)


def random_part(rng, low, high, names, allow_star):
    kind = rng.choice(["value", "value", "range", "range_step", "start_step", "star_step", "star"])
    if kind == "star" and allow_star:
        return rng.choice(["*", "?"])
    if kind == "star_step":
        return f"*/{rng.randint(2, max(2, (high - low) // 2))}"
    if kind == "value" or kind == "star":
        return render(rng, rng.randint(low, high), low, names)
    a = rng.randint(low, high - 1)
    b = rng.randint(a + 1, high)  # croniter 7 reads a one-value range `n-n` as `*`
    first, second = render(rng, a, low, names), render(rng, b, low, names)
    if kind == "range":
        return f"{first}-{second}"
    step = rng.randint(1, max(1, high - low))
    if kind == "range_step":
        return f"{first}-{second}/{step}"
    return f"{first}/{step}"


def random_field(rng, low, high, names=None, star_weight=0.3):
    if rng.random() < star_weight:
        return "*"
    count = rng.choice([1, 1, 1, 2, 3])
    return ",".join(random_part(rng, low, high, names, allow_star=False) for _ in range(count))


def random_expression(rng):
    return " ".join([
        random_field(rng, 0, 59, star_weight=0.15),
        random_field(rng, 0, 23, star_weight=0.3),
        random_field(rng, 1, 31, star_weight=0.6),
        random_field(rng, 1, 12, MONTH_NAMES, star_weight=0.6),
        random_field(rng, 0, 6, DAY_NAMES, star_weight=0.6),
    ])


def allowed_clock(expression):
    """The (minutes, hours) croniter's expansion allows, '*' meaning all."""
    expanded = croniter(expression).expanded
    minutes = set(range(60)) if expanded[0] == ["*"] else set(expanded[0])
    hours = set(range(24)) if expanded[1] == ["*"] else set(expanded[1])
    return minutes, hours


def fire_times(expression, zone_name, from_text):
    zone = ZoneInfo(zone_name)
    start = instant(from_text).astimezone(zone)
    minutes, hours = allowed_clock(expression)
    iterator = croniter(expression, start)
    kept, dropped = [], []
    while len(kept) < FIRE_TIMES_PER_CASE and len(dropped) < 20:
        fire = iterator.get_next(datetime).astimezone(zone)
        if fire.minute in minutes and fire.hour in hours:
            kept.append(fire.isoformat())
        else:
            dropped.append(fire.isoformat())
    return kept, dropped


def case(expression, zone_name, from_text, why):
    try:
        kept, dropped = fire_times(expression, zone_name, from_text)
    except Exception as error:  # croniter rejects it: not a comparable case
        print(f"skipped {expression!r}: {error}", file=sys.stderr)
        return None
    entry = {"expr": expression, "tz": zone_name, "from": from_text, "next": kept, "why": why}
    if dropped:
        entry["dropped"] = dropped
    return entry


def main():
    rng = random.Random(5)
    cases = []
    for expression in HANDPICKED:
        for _ in range(2):
            cases.append(case(expression, rng.choice(ZONES), rng.choice(FROM_INSTANTS), "handpicked"))
    while len([c for c in cases if c]) < 300:
        cases.append(case(random_expression(rng), rng.choice(ZONES), rng.choice(FROM_INSTANTS),
                          "random"))
    for zone_name, transitions in DST_NIGHTS.items():
        for transition in transitions:
            for expression in DST_EXPRESSIONS:
                start = instant(transition) - timedelta(minutes=100)
                from_text = start.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
                cases.append(case(expression, zone_name, from_text, "dst night"))
    document = {
        "generator": "core/tests/vectors/gen_cron_vectors.py",
        "croniter": getattr(croniter_module, "__version__", "7.0.0"),
        "cases": [c for c in cases if c],
    }
    # One case per line: reviewable diffs, small file.
    lines = [json.dumps(c) for c in document.pop("cases")]
    header = json.dumps(document)[:-1]
    print(header + ', "cases": [\n' + ",\n".join(lines) + "\n]}")


if __name__ == "__main__":
    main()
