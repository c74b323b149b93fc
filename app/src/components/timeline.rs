//! The timeline: an SVG chart of every pod's life (one row per pod, grouped by Job and CronJob),
//! playback controls, and beside it what `kubectl` and the event list show at the current instant.
//! While playing, events are also announced in an `aria-live` region. The chart's text alternative
//! is the kubectl views themselves.

use crate::playback::{clock, Playback, PlaybackAction, SPEEDS};
use crate::view::{BarState, EventView, Group, PodBar, Run, ScheduleView};
use gloo::timers::callback::Interval;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Chart geometry, in SVG user units (the chart scales to its container).
const WIDTH: f64 = 900.0;
/// The label column: wide enough for a CronJob's pod name (`<cronjob>-<8 digits>-<5>`) of up to
/// `POD_LABEL_CHARS` characters; longer names keep their end, which tells them apart.
const LABEL_WIDTH: f64 = 230.0;
/// Characters of a pod name that fit the label column at 11 px monospace (about 6.6 units each).
const POD_LABEL_CHARS: usize = 31;
/// Characters of a group's label ("Job <name>", "CronJob <name>", bold 12 px) that fit.
const GROUP_LABEL_CHARS: usize = 29;
/// Room right of the plot, so a bar ending at the horizon stays inside the chart.
const PLOT_RIGHT_MARGIN: f64 = 10.0;
/// Width of a character of a mark's text ("exit 1", 9 px bold), in chart units.
const MARK_CHAR_WIDTH: f64 = 6.0;
const ROW: f64 = 24.0;
const AXIS: f64 = 28.0;
/// Playback ticks every 50 ms of real time.
const TICK_MS: u32 = 50;
/// The `aria-live` log keeps this many of the latest announcements.
const ANNOUNCED_KEPT: usize = 8;

/// The `aria-live` log (`role="log"`): announcements are appended, as screen readers expect of a
/// log, and only the latest few kept. A reducer, so that two ticks folded into one render by a busy
/// machine both append instead of the second replacing the first.
#[derive(Default, PartialEq)]
struct Announcements(Vec<String>);

impl Reducible for Announcements {
    /// The events the cursor just passed.
    type Action = Vec<String>;

    fn reduce(self: Rc<Self>, passed: Vec<String>) -> Rc<Self> {
        let mut all = self.0.clone();
        all.extend(passed);
        let keep = all.len().saturating_sub(ANNOUNCED_KEPT);
        Rc::new(Announcements(all.split_off(keep)))
    }
}

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub id: AttrValue,
    pub run: Rc<Run>,
}

#[function_component(Timeline)]
pub fn timeline(props: &TimelineProps) -> Html {
    let run = &props.run;
    let playback = use_reducer(|| Playback::new(run.end));
    let announced = use_reducer(Announcements::default);
    // Where the cursor was at the last playing tick; `None` while paused.
    let last_at = use_mut_ref(|| None::<f64>);
    {
        let playback = playback.clone();
        use_effect_with(run.end, move |end| {
            playback.dispatch(PlaybackAction::NewEnd(*end))
        });
    }
    {
        // Tick while playing.
        let dispatcher = playback.dispatcher();
        use_effect_with(playback.playing, move |playing| {
            let interval = playing.then(|| {
                Interval::new(TICK_MS, move || {
                    dispatcher.dispatch(PlaybackAction::Tick(f64::from(TICK_MS) / 1000.0))
                })
            });
            move || drop(interval)
        });
    }
    {
        // Announce the events the cursor passed while playing: from the instant Play was pressed
        // (events at that very instant included, e.g. the pod created at 0s) to the tick that
        // reached the end and stopped playback (the Job's completion is announced too).
        let run = run.clone();
        let announced = announced.clone();
        let last_at = last_at.clone();
        // The run is part of the dependencies (by identity) so that a run replaced while playing
        // is announced from, not the one this effect first saw.
        let run_id = Rc::as_ptr(&run) as usize;
        use_effect_with(
            (playback.at, playback.playing, run_id),
            move |(at, playing, _)| {
                let previous = *last_at.borrow();
                let from = match (previous, *playing) {
                    (Some(from), _) => Some(from),
                    (None, true) => Some(*at - 1e-9),
                    (None, false) => None,
                };
                if let Some(from) = from.filter(|from| *at > *from) {
                    let passed: Vec<String> =
                        run.events_between(from, *at).map(announcement).collect();
                    if !passed.is_empty() {
                        announced.dispatch(passed);
                    }
                }
                *last_at.borrow_mut() = playing.then_some(*at);
            },
        );
    }
    let at = playback.at;
    let views = (run.kubectl)(at);
    // The Jobs the chart draws; its note says which when not all.
    let shown = shown_groups(run, at);
    let events_so_far: Vec<&EventView> = run.events.iter().filter(|e| e.at <= at).collect();
    html! {
        <div class="timeline" id={props.id.clone()} role="group" aria-label="Simulated run">
            <Controls playback={playback.clone()} run={run.clone()} />
            <div class="timeline-body">
                <div class="chart-wrap">
                    if let Some(note) = window_note(run, &shown, at) {
                        <p class="chart-window" role="note">{ note }</p>
                    }
                    <div class="chart-scroll" tabindex="0" role="group" aria-label="Timeline chart (scrolls sideways on narrow screens)">{ chart(run, shown, at) }</div>
                    { legend() }
                    <Calendars run={run.clone()} />
                    if !run.notes.is_empty() {
                        <ul class="run-notes">{ for run.notes.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
                    }
                </div>
                <div class="kubectl" aria-label={format!("Cluster at {}", clock(at))} role="group">
                    { for views.iter().map(|v| html! {
                        <figure class="kubectl-view">
                            <figcaption><code>{ format!("$ {}", v.command) }</code></figcaption>
                            <pre tabindex="0">{ &v.output }</pre>
                            if let Some(note) = &v.note {
                                <p class="kubectl-note" role="note">{ "⚠ " }{ note }</p>
                            }
                        </figure>
                    }) }
                    <figure class="kubectl-view">
                        <figcaption>{ events_caption(&events_so_far) }</figcaption>
                        <ol class="event-list" tabindex="0">
                            { for events_so_far.iter().rev().take(200).map(|e| event_item(e)) }
                        </ol>
                        if events_so_far.iter().any(|e| !e.stored) {
                            <p class="kubectl-note" role="note">{ DROPPED_NOTE }</p>
                        }
                    </figure>
                </div>
            </div>
            <div class="sr-only" aria-live="polite" role="log" aria-label="Events while playing">
                { for announced.0.iter().map(|a| html! { <p>{ a }</p> }) }
            </div>
        </div>
    }
}

fn announcement(e: &EventView) -> String {
    format!(
        "At {}: {} {}: {}",
        clock(e.at),
        e.object,
        e.reason,
        e.message
    )
}

/// Under the event list once it holds an event the API server never stored.
const DROPPED_NOTE: &str =
    "Events marked \u{201c}not stored\u{201d} happened, but the API server never got them: \
    a component's event recorder writes 25 events about one object, then one more every 5 minutes. \
    kubectl describe and kubectl get events show only what was stored.";

/// "Events so far (N)", and how many of them were not stored.
fn events_caption(events: &[&EventView]) -> String {
    let dropped = events.iter().filter(|e| !e.stored).count();
    if dropped == 0 {
        format!("Events so far ({})", events.len())
    } else {
        format!("Events so far ({}, {dropped} not stored)", events.len())
    }
}

fn event_item(e: &EventView) -> Html {
    let class = classes!(
        e.warning.then_some("event-warning"),
        (!e.stored).then_some("event-dropped")
    );
    html! {
        <li class={class}>
            <span class="event-at">{ clock(e.at) }</span>
            <span class="event-type">{ if e.warning { "⚠ Warning" } else { "Normal" } }</span>
            <span class="event-reason">{ &e.reason }</span>
            <span class="event-object">{ &e.object }</span>
            <span class="event-msg">{ &e.message }</span>
            if !e.stored {
                <span class="event-dropped-note">{ " (not stored)" }</span>
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct ControlsProps {
    playback: UseReducerHandle<Playback>,
    run: Rc<Run>,
}

#[function_component(Controls)]
fn controls(props: &ControlsProps) -> Html {
    let p = &props.playback;
    let toggle = {
        let p = p.clone();
        Callback::from(move |_: MouseEvent| {
            p.dispatch(if p.playing {
                PlaybackAction::Pause
            } else {
                PlaybackAction::Play
            })
        })
    };
    let next = props.run.next_event_after(p.at);
    let step = {
        let p = p.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(t) = next {
                p.dispatch(PlaybackAction::Pause);
                p.dispatch(PlaybackAction::Seek(t));
            }
        })
    };
    let scrub = {
        let p = p.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(t) = input.value().parse::<f64>() {
                p.dispatch(PlaybackAction::Seek(t));
            }
        })
    };
    let speed = {
        let p = p.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Ok(s) = input.value().parse::<f64>() {
                p.dispatch(PlaybackAction::SetSpeed(s));
            }
        })
    };
    html! {
        <div class="controls" role="group" aria-label="Playback">
            <button type="button" class="play" onclick={toggle} aria-pressed={p.playing.to_string()}>
                { if p.playing { "❚❚ Pause" } else { "▶ Play" } }
            </button>
            <button type="button" onclick={step} disabled={next.is_none()}>{ "Next event ›" }</button>
            <label class="speed">
                { "Speed " }
                <select onchange={speed}>
                    { for SPEEDS.iter().map(|s| html! {
                        <option value={s.to_string()} selected={*s == p.speed}>{ format!("{s}×") }</option>
                    }) }
                </select>
            </label>
            <label class="scrub">
                <span class="sr-only">{ "Time" }</span>
                <input type="range" min="0" max={p.end.to_string()} step="any"
                    value={p.at.to_string()} oninput={scrub}
                    aria-valuetext={format!("{} of {}", clock(p.at), clock(p.end))} />
            </label>
            <output class="now" aria-live="off">{ format!("t = {} / {}", clock(p.at), clock(p.end)) }</output>
        </div>
    }
}

fn x_of(t: f64, end: f64) -> f64 {
    let span = if end > 0.0 { end } else { 1.0 };
    LABEL_WIDTH + (t / span).clamp(0.0, 1.0) * (WIDTH - LABEL_WIDTH - PLOT_RIGHT_MARGIN)
}

/// Most Jobs the chart draws at once (a week of a `*/1` CronJob is ten thousand), and most pods.
const MAX_GROUPS: usize = 24;
const MAX_POD_ROWS: usize = 100;
/// Of those, how many may be Jobs still to come after the cursor.
const UPCOMING_GROUPS: usize = 4;

/// The Jobs the chart draws with the cursor at `at`: all of them, or, in a run with more than
/// the chart holds, those created last before the cursor and the next few to come.
fn shown_groups(run: &Run, at: f64) -> std::ops::Range<usize> {
    let total = run.groups.len();
    if total <= MAX_GROUPS && run.pod_count() <= MAX_POD_ROWS {
        return 0..total;
    }
    // Jobs are in the order they were created, each from its first pod (a retry's later pod
    // does not move it); one without pods counts from the Job before it.
    let mut started = 0;
    let mut latest = f64::NEG_INFINITY;
    for group in &run.groups {
        let first_pod = group
            .pods
            .iter()
            .map(|p| p.created)
            .fold(f64::INFINITY, f64::min);
        if first_pod.is_finite() {
            latest = latest.max(first_pod);
        }
        if latest > at {
            break;
        }
        started += 1;
    }
    let fits = |range: &std::ops::Range<usize>, more: usize| {
        range.len() < MAX_GROUPS
            && run.groups[range.clone()]
                .iter()
                .map(|g| g.pods.len())
                .sum::<usize>()
                + more
                <= MAX_POD_ROWS
    };
    // Back from the cursor, keeping room for the next few Jobs; then forward; then back again
    // if the run ends before that room is used.
    let mut range = started..started;
    while range.start > 0
        && range.len() + UPCOMING_GROUPS < MAX_GROUPS
        && fits(&range, run.groups[range.start - 1].pods.len())
    {
        range.start -= 1;
    }
    while range.end < total && fits(&range, run.groups[range.end].pods.len()) {
        range.end += 1;
    }
    while range.start > 0 && fits(&range, run.groups[range.start - 1].pods.len()) {
        range.start -= 1;
    }
    if range.is_empty() && total > 0 {
        // One Job with more pods than the limit: it is drawn whole, as the one that matters.
        let last_started = started.saturating_sub(1).min(total - 1);
        range = last_started..last_started + 1;
    }
    range
}

/// Says which Jobs the chart shows when it cannot show them all.
fn window_note(run: &Run, shown: &std::ops::Range<usize>, at: f64) -> Option<String> {
    (shown.len() < run.groups.len()).then(|| {
        format!(
            "The chart shows Jobs {}–{} of {}, those around {}; move the cursor to see the others{}.",
            shown.start + 1,
            shown.end,
            run.groups.len(),
            clock(at),
            if run.schedules.is_empty() { "" } else { " (the calendar strip below shows every scheduled start)" }
        )
    })
}

/// The SVG chart of the Jobs `shown` (see `shown_groups`) with the cursor at `at`.
fn chart(run: &Run, shown: std::ops::Range<usize>, at: f64) -> Html {
    let mut y = AXIS;
    let mut rows = Vec::new();
    let mut last_cron: Option<&str> = None;
    for group in &run.groups[shown] {
        if let Some(cron) = group.cron_job.as_deref().filter(|c| Some(*c) != last_cron) {
            rows.push(group_header("CronJob", cron, y, true));
            y += ROW;
            last_cron = Some(cron);
        }
        rows.push(group_header("Job", &group.job, y, false));
        y += ROW;
        for pod in &group.pods {
            rows.push(pod_row(pod, group, y, run.end, at));
            y += ROW;
        }
    }
    if run.groups.is_empty() {
        rows.push(html! { <text x="10" y={(y + 16.0).to_string()} class="chart-empty">{ "No pods in this run." }</text> });
        y += ROW;
    }
    let height = y + 6.0;
    let cursor = x_of(at, run.end);
    let summary = format!(
        "Timeline of {} pods in {} Jobs over {}; the kubectl views beside it describe the same run at the current instant.",
        run.pod_count(),
        run.groups.len(),
        clock(run.end)
    );
    html! {
        <svg class="chart" viewBox={format!("0 0 {WIDTH} {height}")} role="img" aria-label={summary.clone()}
             preserveAspectRatio="xMinYMin meet">
            <title>{ summary }</title>
            { axis(run.end, height) }
            { for rows }
            <line class="cursor" x1={cursor.to_string()} x2={cursor.to_string()} y1="18" y2={height.to_string()} />
            <text class="cursor-label" x={cursor.to_string()} y="12" text-anchor={cursor_anchor(cursor)}>{ clock(at) }</text>
        </svg>
    }
}

/// Keep the cursor's time label inside the chart at either end.
fn cursor_anchor(x: f64) -> &'static str {
    if x > WIDTH - 40.0 {
        "end"
    } else if x < LABEL_WIDTH + 20.0 {
        "start"
    } else {
        "middle"
    }
}

/// A Job's or CronJob's row: its kind and name (the whole name on hover when it is shortened).
fn group_header(kind: &str, name: &str, y: f64, cron: bool) -> Html {
    html! {
        <g>
            <title>{ format!("{kind} {name}") }</title>
            <text class={classes!("group-label", cron.then_some("cron-label"))} x="4" y={(y + 16.0).to_string()}>{ format!("{kind} {}", short(name, GROUP_LABEL_CHARS - kind.len() - 1)) }</text>
        </g>
    }
}

fn pod_row(pod: &PodBar, _group: &Group, y: f64, end: f64, at: f64) -> Html {
    let visible = pod.created <= at;
    html! {
        <g class={classes!("pod-row", (!visible).then_some("future"))}>
            <title>{ format!("Pod {}", pod.name) }</title>
            <text class="pod-label" x="14" y={(y + 16.0).to_string()}>{ short(&pod.name, POD_LABEL_CHARS) }</text>
            // A state that begins at the cursor is drawn (one unit wide), as the kubectl views
            // beside the chart already show it: "Next event" stops exactly on such instants.
            { for pod.segments.iter().filter(|s| s.from <= at).map(|s| {
                let x1 = x_of(s.from, end);
                let x2 = x_of(s.to.min(at), end).max(x1 + 1.0);
                // A mark where the state begins (the exit code that ended the run before it)
                // has its text there: the state's name goes after it.
                let label_x = x1 + 4.0 + pod.marks.iter()
                    .filter(|m| m.at <= at && (x_of(m.at, end) - x1).abs() < 2.0)
                    .map(|m| MARK_CHAR_WIDTH * m.label.chars().count() as f64 + 2.0)
                    .fold(0.0, f64::max);
                html! {
                    <g class={classes!("bar", s.state.class())}>
                        <rect x={x1.to_string()} y={(y + 4.0).to_string()} width={(x2 - x1).to_string()} height={(ROW - 8.0).to_string()} rx="2">
                            <title>{ format!("{}: {} from {} to {}", pod.name, s.label, clock(s.from), clock(s.to)) }</title>
                        </rect>
                        if x2 - label_x > 7.0 * s.label.len() as f64 {
                            <text class="bar-label" x={label_x.to_string()} y={(y + 16.0).to_string()}>{ &s.label }</text>
                        }
                    </g>
                }
            }) }
            { for pod.marks.iter().filter(|m| m.at <= at).map(|m| {
                let x = x_of(m.at, end);
                html! {
                    <g class={classes!("mark", m.failed.then_some("mark-failed"))}>
                        <line x1={x.to_string()} x2={x.to_string()} y1={(y + 1.0).to_string()} y2={(y + ROW - 1.0).to_string()} />
                        <text x={(x + 2.0).to_string()} y={(y + 9.0).to_string()}>{ &m.label }</text>
                    </g>
                }
            }) }
        </g>
    }
}

/// The end of `name` in at most `max` characters, with `…` where its start was cut.
fn short(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        name.to_string()
    } else {
        let tail: String = name
            .chars()
            .rev()
            .take(max - 1)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!("…{tail}")
    }
}

fn axis(end: f64, height: f64) -> Html {
    let ticks = 5;
    html! {
        <g class="axis">
            { for (0..=ticks).map(|i| {
                let t = end * f64::from(i) / f64::from(ticks);
                let x = x_of(t, end);
                html! {
                    <>
                        <line x1={x.to_string()} x2={x.to_string()} y1="20" y2={height.to_string()} />
                        <text x={x.to_string()} y={(AXIS - 10.0).to_string()} text-anchor="middle">{ clock(t) }</text>
                    </>
                }
            }) }
        </g>
    }
}

/// Fill patterns: each state has a colour AND a texture, so it reads without colour. Rendered once
/// per page (by the app shell) so every chart and legend can refer to them by id.
pub fn patterns() -> Html {
    html! {
        <svg class="svg-defs" width="0" height="0" aria-hidden="true" focusable="false">
        <defs>
            <pattern id="pat-pending" width="6" height="6" patternUnits="userSpaceOnUse">
                <rect class="pat-bg pat-pending" width="6" height="6" />
                <circle class="pat-ink" cx="3" cy="3" r="1" />
            </pattern>
            <pattern id="pat-succeeded" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                <rect class="pat-bg pat-succeeded" width="6" height="6" />
                <line class="pat-ink" x1="0" y1="0" x2="0" y2="6" />
            </pattern>
            <pattern id="pat-failed" width="6" height="6" patternUnits="userSpaceOnUse">
                <rect class="pat-bg pat-failed" width="6" height="6" />
                <path class="pat-ink" d="M0 0L6 6M6 0L0 6" />
            </pattern>
            <pattern id="pat-waiting" width="8" height="8" patternUnits="userSpaceOnUse">
                <rect class="pat-bg pat-waiting" width="8" height="8" />
                <line class="pat-ink" x1="0" y1="4" x2="4" y2="4" />
            </pattern>
        </defs>
        </svg>
    }
}

fn legend() -> Html {
    html! {
        <ul class="legend" aria-label="Legend">
            { for BarState::ALL.iter().map(|s| html! {
                <li>
                    <svg width="28" height="14" aria-hidden="true" class={classes!("bar", s.class())}>
                        <rect width="28" height="14" rx="2" />
                    </svg>
                    { s.legend() }
                </li>
            }) }
            <li><span class="legend-mark" aria-hidden="true">{ "│↻" }</span>{ "restart" }</li>
            <li><span class="legend-mark legend-failed" aria-hidden="true">{ "│exit 1" }</span>{ "container exit code" }</li>
        </ul>
    }
}

#[derive(Properties, PartialEq)]
struct CalendarsProps {
    run: Rc<Run>,
}

/// The calendar strips of a run's CronJobs. A component of its own so that they are drawn once
/// per run, not at every step of the cursor: a week of a `*/1` schedule is ten thousand marks.
#[function_component(Calendars)]
fn calendars(props: &CalendarsProps) -> Html {
    html! { <>{ for props.run.schedules.iter().map(|s| calendar(s, props.run.end)) }</> }
}

/// A CronJob's calendar strip: each scheduled instant within the run, marked fired or not
/// (by symbol and word, not colour alone), with the schedule in words and the next runs.
fn calendar(schedule: &ScheduleView, end: f64) -> Html {
    html! {
        <div class="calendar" role="group" aria-label={format!("Schedule of CronJob {}", schedule.cron_job)}>
            <p class="calendar-title">{ format!("CronJob {}: ", schedule.cron_job) }<code>{ &schedule.expression }</code></p>
            <p>{ &schedule.description }</p>
            // Under the chart's plot: the label column to its left, the plot's margin to its right.
            <ol class="slots" style={format!("margin-left: {:.2}%; margin-right: {:.2}%", LABEL_WIDTH / WIDTH * 100.0, PLOT_RIGHT_MARGIN / WIDTH * 100.0)}>
                { for schedule.slots.iter().map(|slot| html! {
                    <li class={format!("slot slot-{}", slot.fate.word())}
                        style={format!("left: {:.2}%", if end > 0.0 { slot.at / end * 100.0 } else { 0.0 })}
                        title={format!("{} ({}): {}{}", slot.scheduled, clock(slot.at), slot.fate.word(), if slot.reason.is_empty() { String::new() } else { format!(" — {}", slot.reason) })}>
                        <span aria-hidden="true">{ slot.fate.symbol() }</span>
                        <span class="sr-only">{ format!("{}: {}. {}", slot.scheduled, slot.fate.word(), slot.reason) }</span>
                    </li>
                }) }
            </ol>
            <p class="slot-legend muted">{ "✓ fired · ⤼ skipped · ✕ missed · ◇ pending" }</p>
            if !schedule.notes.is_empty() {
                <ul class="run-notes">{ for schedule.notes.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
            }
            if !schedule.next_runs.is_empty() {
                <p class="next-runs">{ "Next runs: " }{ schedule.next_runs.join(", ") }</p>
            }
        </div>
    }
}
