//! What `kubectl` would print about the simulated cluster at any instant: `get pods`, `get jobs`,
//! `describe job`, `logs`, `get events`, and a `get pods -w` transcript. Column layout follows
//! kubectl's printers (Go's tabwriter: padding 3 and minimum width 6 for tables; padding 2 for
//! describe) and its durations (`HumanDuration`).

use super::recorder::{stored_events, StoredEvent};
use super::timeline::{EventObject, JobRecord, PodRecord, Time, Timeline};
use std::fmt::Write;

/// `k8s.io/apimachinery/pkg/util/duration.HumanDuration`: `45s`, `2m5s`, `15m`, `3h20m`, `2d4h`.
pub fn human_duration(ms: u64) -> String {
    let seconds = ms / 1000;
    if seconds < 120 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 180 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{}d", hours / 24)
        } else {
            format!("{}d{h}h", hours / 24)
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    let years = hours / 24 / 365;
    let days = (hours / 24) % 365;
    if hours < 24 * 365 * 8 && days != 0 {
        return format!("{years}y{days}d");
    }
    format!("{years}y")
}

/// Aligns tab-separated cells the way Go's `text/tabwriter` does: a column's width is set per block
/// of consecutive lines that have a cell in that column; the text after the last tab is not padded.
pub fn tabwrite(text: &str, min_width: usize, padding: usize) -> String {
    let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    let mut widths: Vec<Vec<usize>> = lines.iter().map(|cells| vec![0; cells.len()]).collect();
    fn fill(
        lines: &[Vec<&str>],
        widths: &mut [Vec<usize>],
        from: usize,
        to: usize,
        col: usize,
        min_width: usize,
        padding: usize,
    ) {
        let mut i = from;
        while i < to {
            if lines[i].len() <= col + 1 {
                i += 1;
                continue;
            }
            let start = i;
            while i < to && lines[i].len() > col + 1 {
                i += 1;
            }
            let w = (start..i)
                .map(|k| lines[k][col].chars().count() + padding)
                .max()
                .unwrap_or(0)
                .max(min_width);
            for row in widths.iter_mut().take(i).skip(start) {
                row[col] = w;
            }
            fill(lines, widths, start, i, col + 1, min_width, padding);
        }
    }
    fill(&lines, &mut widths, 0, lines.len(), 0, min_width, padding);
    let mut out = String::new();
    for (cells, ws) in lines.iter().zip(&widths) {
        for (k, cell) in cells.iter().enumerate() {
            if k + 1 == cells.len() {
                out.push_str(cell);
            } else {
                out.push_str(cell);
                let pad = ws[k].saturating_sub(cell.chars().count());
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push('\n');
    }
    out
}

fn table(text: &str) -> String {
    tabwrite(text, 6, 3)
}

fn restarts_cell(restarts: u32, last: Option<Time>, t: Time) -> String {
    match last {
        Some(at) if restarts > 0 => format!(
            "{restarts} ({} ago)",
            human_duration(t.0.saturating_sub(at.0))
        ),
        _ => restarts.to_string(),
    }
}

/// `kubectl get pods` at instant `t` (all namespaces' pods of the simulation, sorted by name).
pub fn get_pods(tl: &Timeline, t: Time) -> String {
    let mut pods: Vec<&PodRecord> = tl.pods.iter().filter(|p| p.exists_at(t)).collect();
    if pods.is_empty() {
        return "No resources found in default namespace.\n".into();
    }
    crate::sort::sort_by(&mut pods, |a, b| a.name.cmp(&b.name));
    let mut text = String::from("NAME\tREADY\tSTATUS\tRESTARTS\tAGE\n");
    for p in pods {
        if let Some(s) = p.status_at(t) {
            let _ = writeln!(
                text,
                "{}\t{}/{}\t{}\t{}\t{}",
                p.name,
                s.ready,
                s.total,
                s.reason,
                restarts_cell(s.restarts, s.last_restart_at.get(), t),
                human_duration(t.0.saturating_sub(p.created_at.0))
            );
        }
    }
    table(&text)
}

/// The STATUS column of `kubectl get jobs` (printJob).
fn job_status_word(view: &super::timeline::JobView) -> &'static str {
    let has = |ty: &str| {
        view.conditions
            .iter()
            .any(|c| c.type_ == ty && c.status == "True")
    };
    if has("Complete") {
        "Complete"
    } else if has("Failed") {
        "Failed"
    } else if has("Suspended") {
        "Suspended"
    } else if has("FailureTarget") {
        "FailureTarget"
    } else {
        "Running"
    }
}

fn completions_cell(j: &JobRecord, succeeded: i32) -> String {
    match j.spec.completions {
        Some(c) => format!("{succeeded}/{c}"),
        None if j.spec.parallelism > 1 => format!("{succeeded}/1 of {}", j.spec.parallelism),
        None => format!("{succeeded}/1"),
    }
}

fn job_duration(start: Option<Time>, completion: Option<Time>, t: Time) -> String {
    match (start, completion) {
        (None, _) => String::new(),
        (Some(s), None) => human_duration(t.0.saturating_sub(s.0)),
        (Some(s), Some(c)) => human_duration(c.0.saturating_sub(s.0)),
    }
}

/// `kubectl get jobs` at instant `t`.
pub fn get_jobs(tl: &Timeline, t: Time) -> String {
    let mut jobs: Vec<&JobRecord> = tl
        .jobs
        .iter()
        .filter(|j| t >= j.created_at && j.deleted_at.is_none_or(|d| t < d))
        .collect();
    if jobs.is_empty() {
        return "No resources found in default namespace.\n".into();
    }
    crate::sort::sort_by(&mut jobs, |a, b| a.name.cmp(&b.name));
    let mut text = String::from("NAME\tSTATUS\tCOMPLETIONS\tDURATION\tAGE\n");
    for j in jobs {
        let view = j.view_at(t);
        let s = &view.status;
        let _ = writeln!(
            text,
            "{}\t{}\t{}\t{}\t{}",
            j.name,
            job_status_word(&view),
            completions_cell(j, s.succeeded),
            job_duration(s.start_time.get(), s.completion_time.get(), t),
            human_duration(t.0.saturating_sub(j.created_at.0))
        );
    }
    table(&text)
}

/// `kubectl get cronjobs` at instant `t`: the columns of kubectl 1.34's printer
/// (`pkg/printers/internalversion/printers.go`, `printCronJob`): NAME, SCHEDULE, TIMEZONE
/// (`<none>` when unset), SUSPEND, ACTIVE, LAST SCHEDULE (time since `status.lastScheduleTime`) and
/// AGE. Every CronJob of a run exists from its start.
pub fn get_cronjobs(tl: &Timeline, t: Time) -> String {
    let mut cron_jobs: Vec<&super::cronjob::CronJobRecord> = tl.cron_jobs.iter().collect();
    if cron_jobs.is_empty() {
        return "No resources found in default namespace.\n".into();
    }
    crate::sort::sort_by(&mut cron_jobs, |a, b| a.name.cmp(&b.name));
    let now_ms = tl.start_unix_ms + t.0 as i64;
    let mut text = String::from("NAME\tSCHEDULE\tTIMEZONE\tSUSPEND\tACTIVE\tLAST SCHEDULE\tAGE\n");
    for c in cron_jobs {
        let status = c.status.iter().rev().find(|s| s.at <= t);
        let suspend = status.map_or(c.suspend, |s| s.suspend);
        let last_schedule = status
            .and_then(|s| s.last_schedule_time)
            .map(|at| human_duration(now_ms.saturating_sub(at.unix_ms).max(0) as u64))
            .unwrap_or_else(|| "<none>".into());
        let _ = writeln!(
            text,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            c.name,
            c.schedule,
            c.time_zone.as_deref().unwrap_or("<none>"),
            if suspend { "True" } else { "False" },
            status.map_or(0, |s| s.active.len()),
            last_schedule,
            human_duration(t.0)
        );
    }
    table(&text)
}

/// Formats a virtual instant as Go's `time.RFC1123Z` (what describe prints).
fn rfc1123z(tl: &Timeline, at: Time) -> String {
    rfc1123z_unix(tl.start_unix_ms + at.0 as i64)
}

/// `rfc1123z` of a wall-clock instant in Unix milliseconds (a CronJob's status times).
fn rfc1123z_unix(unix_ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(unix_ms)
        .map(|d| d.format("%a, %d %b %Y %H:%M:%S +0000").to_string())
        .unwrap_or_default()
}

/// A `Title:` line with its value, or `<unset>` for a field the object does not set.
fn value_or_unset(out: &mut String, title: &str, value: Option<impl std::fmt::Display>) {
    match value {
        Some(value) => {
            let _ = writeln!(out, "{title}:\t{value}");
        }
        None => {
            let _ = writeln!(out, "{title}:\t<unset>");
        }
    }
}

/// Labels or annotations as `kubectl describe` lists them: one `key=value` a line, `<none>`
/// when there are none.
fn multiline<K: std::fmt::Display, V: std::fmt::Display>(
    out: &mut String,
    indent: &str,
    title: &str,
    pairs: impl ExactSizeIterator<Item = (K, V)>,
) {
    multiline_lines(out, indent, title, pairs.map(|(k, v)| format!("{k}={v}")));
}

/// A `Title:` with one value a line, `<none>` when there is none.
fn multiline_lines(
    out: &mut String,
    indent: &str,
    title: &str,
    lines: impl ExactSizeIterator<Item = impl std::fmt::Display>,
) {
    let _ = write!(out, "{indent}{title}:\t");
    if lines.len() == 0 {
        out.push_str("<none>\n");
        return;
    }
    for (i, line) in lines.enumerate() {
        if i > 0 {
            let _ = write!(out, "{indent}\t");
        }
        let _ = writeln!(out, "{line}");
    }
}

/// `kubectl describe job NAME` at instant `t`; None if the Job did not exist then.
pub fn describe_job(tl: &Timeline, name: &str, t: Time) -> Option<String> {
    let view = tl.job_at(name, t)?;
    let j = tl.job(name)?;
    let s = &view.status;
    let spec = &j.spec;
    let mut out = String::new();
    let _ = writeln!(out, "Name:\t{}", j.name);
    let _ = writeln!(out, "Namespace:\t{}", j.namespace);
    let _ = writeln!(
        out,
        "Selector:\tbatch.kubernetes.io/controller-uid={}",
        spec.uid
    );
    multiline(&mut out, "", "Labels", spec.labels.iter());
    multiline(&mut out, "", "Annotations", spec.annotations.iter());
    if let Some(c) = &j.cron_job {
        let _ = writeln!(out, "Controlled By:\tCronJob/{c}");
    }
    let _ = writeln!(out, "Parallelism:\t{}", spec.parallelism);
    value_or_unset(&mut out, "Completions", spec.completions);
    let _ = writeln!(out, "Completion Mode:\t{}", spec.completion_mode);
    let suspended = view
        .conditions
        .iter()
        .any(|c| c.type_ == "Suspended" && c.status == "True");
    let _ = writeln!(
        out,
        "Suspend:\t{}",
        suspended || (spec.suspend && s.start_time.get().is_none())
    );
    let _ = writeln!(out, "Backoff Limit:\t{}", spec.backoff_limit);
    if let Some(ttl) = spec.ttl_seconds_after_finished {
        let _ = writeln!(out, "TTL Seconds After Finished:\t{ttl}");
    }
    if let Some(st) = s.start_time.get() {
        let _ = writeln!(out, "Start Time:\t{}", rfc1123z(tl, st));
    }
    if let Some(ct) = s.completion_time.get() {
        let _ = writeln!(out, "Completed At:\t{}", rfc1123z(tl, ct));
    }
    if let (Some(st), Some(ct)) = (s.start_time.get(), s.completion_time.get()) {
        let _ = writeln!(
            out,
            "Duration:\t{}",
            human_duration(ct.0.saturating_sub(st.0))
        );
    }
    if let Some(ads) = spec.active_deadline_seconds {
        let _ = writeln!(out, "Active Deadline Seconds:\t{ads}s");
    }
    let _ = writeln!(
        out,
        "Pods Statuses:\t{} Active ({} Ready) / {} Succeeded / {} Failed",
        s.active, s.ready, s.succeeded, s.failed
    );
    if spec.completion_mode == "Indexed" {
        let ci = if s.completed_indexes.is_empty() {
            "<none>"
        } else {
            s.completed_indexes.as_str()
        };
        let _ = writeln!(out, "Completed Indexes:\t{ci}");
        if let Some(fi) = &s.failed_indexes {
            let fi = if fi.is_empty() { "<none>" } else { fi.as_str() };
            let _ = writeln!(out, "Failed Indexes:\t{fi}");
        }
    }
    describe_pod_template(&mut out, spec.template_labels.iter(), &spec.source.template);
    describe_events(&mut out, tl, EventObject::Job, &j.name, t);
    Some(tabwrite(&out, 0, 2))
}

/// `kubectl describe cronjob NAME` at instant `t` (`describeCronJob` in
/// staging/src/k8s.io/kubectl/pkg/describe/describe.go); None if there is no such CronJob.
/// Its events are the ones the API server stored (`recorder`): a CronJob that fires every minute
/// soon spends its 25, and then shows one new event every 5 minutes.
pub fn describe_cronjob(tl: &Timeline, name: &str, t: Time) -> Option<String> {
    let c = tl.cron_jobs.iter().find(|c| c.name == name)?;
    let o = &c.object;
    let status = c.status.iter().rev().find(|s| s.at <= t);
    let mut out = String::new();
    let _ = writeln!(out, "Name:\t{}", c.name);
    let _ = writeln!(out, "Namespace:\t{}", o.namespace);
    multiline(&mut out, "", "Labels", o.labels.iter());
    multiline(&mut out, "", "Annotations", o.annotations.iter());
    let _ = writeln!(out, "Schedule:\t{}", c.schedule);
    let _ = writeln!(out, "Concurrency Policy:\t{}", c.concurrency_policy);
    let suspend = status.map_or(c.suspend, |s| s.suspend);
    let _ = writeln!(out, "Suspend:\t{}", if suspend { "True" } else { "False" });
    let limits = [
        (
            "Successful Job History Limit",
            o.successful_jobs_history_limit,
        ),
        ("Failed Job History Limit", o.failed_jobs_history_limit),
    ];
    for (title, limit) in limits {
        let _ = writeln!(out, "{title}:\t{limit}");
    }
    let deadline = o.starting_deadline_seconds.map(|s| format!("{s}s"));
    value_or_unset(&mut out, "Starting Deadline Seconds", deadline);
    let job = &o.job_template;
    let _ = writeln!(out, "Selector:\t{}", selector_text(job.selector.as_ref()));
    value_or_unset(&mut out, "Parallelism", job.parallelism);
    value_or_unset(&mut out, "Completions", job.completions);
    if let Some(ads) = job.active_deadline_seconds {
        let _ = writeln!(out, "Active Deadline Seconds:\t{ads}s");
    }
    let template = &job.template;
    describe_pod_template(&mut out, template.metadata.labels.iter(), template);
    let last_schedule = status
        .and_then(|s| s.last_schedule_time)
        .map(|at| rfc1123z_unix(at.unix_ms));
    value_or_unset(&mut out, "Last Schedule Time", last_schedule);
    let active = status.map(|s| s.active.as_slice()).unwrap_or_default();
    if active.is_empty() {
        out.push_str("Active Jobs:\t<none>\n");
    } else {
        let names: Vec<&str> = active.iter().map(|a| a.as_str()).collect();
        let _ = writeln!(out, "Active Jobs:\t{}", names.join(", "));
    }
    describe_events(&mut out, tl, EventObject::CronJob, &c.name, t);
    Some(tabwrite(&out, 0, 2))
}

/// A label selector as kubectl prints it (`LabelSelectorAsSelector(...).String()`): the
/// requirements sorted by key, `<unset>` when there is none.
fn selector_text(selector: Option<&crate::model::LabelSelector>) -> String {
    let Some(selector) = selector else {
        return "<unset>".into();
    };
    let mut requirements: Vec<(String, String)> = selector
        .match_labels
        .iter()
        .map(|(k, v)| (k.clone(), format!("{k}={v}")))
        .collect();
    for r in &selector.match_expressions {
        let mut values = r.values.clone();
        values.sort();
        let text = match r.operator.as_str() {
            "In" => format!("{} in ({})", r.key, values.join(",")),
            "NotIn" => format!("{} notin ({})", r.key, values.join(",")),
            "Exists" => r.key.clone(),
            "DoesNotExist" => format!("!{}", r.key),
            other => format!("{} {other}", r.key),
        };
        requirements.push((r.key.clone(), text));
    }
    crate::sort::sort_by(&mut requirements, |a, b| a.0.cmp(&b.0));
    let texts: Vec<String> = requirements.into_iter().map(|(_, t)| t).collect();
    texts.join(",")
}

/// `DescribePodTemplate`: the labels the pods get and the pod spec.
fn describe_pod_template<K: std::fmt::Display, V: std::fmt::Display>(
    out: &mut String,
    labels: impl ExactSizeIterator<Item = (K, V)>,
    template: &crate::model::PodTemplateSpec,
) {
    out.push_str("Pod Template:\n");
    multiline(out, "  ", "Labels", labels);
    if !template.metadata.annotations.is_empty() {
        multiline(
            out,
            "  ",
            "Annotations",
            template.metadata.annotations.iter(),
        );
    }
    let pod = &template.spec;
    if let Some(sa) = &pod.service_account_name {
        let _ = writeln!(out, "  Service Account:\t{sa}");
    }
    for (title, containers) in [
        ("Init Containers", &pod.init_containers),
        ("Containers", &pod.containers),
    ] {
        if containers.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  {title}:");
        for c in containers.iter() {
            describe_container(out, " ", c, None::<fn(&mut String)>, None);
        }
    }
    describe_volumes(out, "  ", pod, None);
    if pod.node_selector.is_empty() {
        out.push_str("  Node-Selectors:\t<none>\n");
    } else {
        let sel: Vec<String> = pod
            .node_selector
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let _ = writeln!(out, "  Node-Selectors:\t{}", sel.join(","));
    }
    out.push_str("  Tolerations:\t<none>\n");
}

/// `kubectl describe pod NAME` at instant `t` (`describePod` in
/// staging/src/k8s.io/kubectl/pkg/describe/describe.go); None if the pod did not exist then.
///
/// What the simulator does not model prints as a real cluster would print it missing: the pod
/// and host IPs and the container and image IDs are empty, priority is 0.
pub fn describe_pod(tl: &Timeline, name: &str, t: Time) -> Option<String> {
    let p = tl.pod(name).filter(|p| p.exists_at(t))?;
    let status = p.status_at(t)?;
    let job = tl.job(&p.job)?;
    let spec = &job.spec.source.template.spec;
    // The kubelet's first status for the pod (its `startTime`) comes with the first container
    // state: the pod was bound to its node then.
    let started = p
        .containers
        .iter()
        .filter_map(|c| c.states.first())
        .map(|s| s.from)
        .min()
        .filter(|&at| at <= t);
    let mut out = String::new();
    let _ = writeln!(out, "Name:\t{}", p.name);
    let _ = writeln!(out, "Namespace:\t{}", job.namespace);
    out.push_str("Priority:\t0\n");
    if let Some(class) = &spec.priority_class_name {
        let _ = writeln!(out, "Priority Class Name:\t{class}");
    }
    let _ = writeln!(
        out,
        "Service Account:\t{}",
        spec.service_account_name.as_deref().unwrap_or("default")
    );
    match (&p.node, started) {
        (Some(node), Some(_)) => {
            let _ = writeln!(out, "Node:\t{node}/");
        }
        _ => out.push_str("Node:\t<none>\n"),
    }
    if let Some(at) = started {
        let _ = writeln!(out, "Start Time:\t{}", rfc1123z(tl, at));
    }
    multiline(&mut out, "", "Labels", p.labels.iter());
    multiline(&mut out, "", "Annotations", p.annotations.iter());
    let terminal = matches!(status.phase.as_str(), "Succeeded" | "Failed");
    let deleting_since = p
        .phases
        .iter()
        .find(|c| c.at <= t && c.reason == "Terminating")
        .map(|c| c.at);
    match deleting_since {
        Some(asked) if !terminal => {
            // The deletion timestamp is when the grace period ends: until then kubectl's
            // `translateTimestampSince` has a time in the future to print, which it prints as
            // `<invalid>`.
            let grace_ms = spec.termination_grace_period_seconds.unwrap_or(30).max(0) as u64 * 1000;
            let deadline = asked.0.saturating_add(grace_ms);
            let lasts = if t.0 + 1000 < deadline {
                "<invalid>".to_string()
            } else {
                human_duration(t.0.saturating_sub(deadline))
            };
            let _ = writeln!(out, "Status:\tTerminating (lasts {lasts})");
            let _ = writeln!(out, "Termination Grace Period:\t{}s", grace_ms / 1000);
        }
        _ => {
            let _ = writeln!(out, "Status:\t{}", status.phase);
        }
    }
    if let Some(reason) = pod_status_reason(&status.reason) {
        let _ = writeln!(out, "Reason:\t{reason}");
    }
    out.push_str("IP:\t\nIPs:\t<none>\n");
    let _ = writeln!(out, "Controlled By:\tJob/{}", job.name);
    let states: Vec<Option<ContainerStatusView>> = p
        .containers
        .iter()
        .map(|c| started.map(|_| ContainerStatusView::of(c, t)))
        .collect();
    let token_volume = token_volume_name(&p.name);
    let groups = [
        ("Init Containers", &spec.init_containers, 0),
        ("Containers", &spec.containers, spec.init_containers.len()),
    ];
    for (title, containers, first) in groups {
        if containers.is_empty() && first == 0 {
            continue;
        }
        let none = if containers.is_empty() { " <none>" } else { "" };
        let _ = writeln!(out, "{title}:{none}");
        for (i, c) in containers.iter().enumerate() {
            let view = states.get(first + i).and_then(|v| v.as_ref());
            describe_container(
                &mut out,
                "",
                c,
                view.map(|v| |out: &mut String| v.describe(out, tl)),
                Some(&token_volume),
            );
        }
    }
    describe_pod_conditions(&mut out, p, &states, status.phase.as_str(), started, t);
    describe_volumes(&mut out, "", spec, Some(&token_volume));
    let _ = writeln!(out, "QoS Class:\t{}", qos_class(spec));
    multiline(&mut out, "", "Node-Selectors", spec.node_selector.iter());
    describe_tolerations(&mut out, spec);
    describe_events(&mut out, tl, EventObject::Pod, &p.name, t);
    Some(tabwrite(&out, 0, 2))
}

/// The pod's `status.reason`, when STATUS shows it rather than a container's state: the one
/// the simulator sets is the kubelet's `DeadlineExceeded` (the pod's own
/// `activeDeadlineSeconds`).
fn pod_status_reason(status: &str) -> Option<&str> {
    (status == "DeadlineExceeded").then_some(status)
}

/// One container's status at an instant, read from its state intervals.
struct ContainerStatusView<'a> {
    kind: super::timeline::ContainerKind,
    current: Option<&'a super::timeline::ContainerStateInterval>,
    /// When the run `current` belongs to started (for a terminated one).
    run_started: Option<Time>,
    /// The previous run's end (`lastState.terminated`) and when that run started.
    last: Option<(&'a super::timeline::ContainerStateInterval, Option<Time>)>,
    restarts: usize,
}

impl<'a> ContainerStatusView<'a> {
    fn of(c: &'a super::timeline::ContainerRecord, t: Time) -> ContainerStatusView<'a> {
        let seen = &c.states[..c.states.partition_point(|s| s.from <= t)];
        let runs = seen.iter().filter(|s| s.state == "running").count();
        let start_of = |end: usize| {
            seen[..end]
                .iter()
                .rev()
                .find(|s| s.state == "running")
                .map(|s| s.from)
        };
        let current_at = seen.len().checked_sub(1);
        // `lastState.terminated` is the end of the container's previous run: for a running or
        // backing-off container the last exit before now, for a terminated one the exit before
        // the run that just ended.
        let last_end = current_at.and_then(|i| {
            let before = match seen[i].state.as_str() {
                "terminated" => seen[..i].iter().rposition(|s| s.state == "running")?,
                _ => i,
            };
            seen[..before].iter().rposition(|s| s.state == "terminated")
        });
        ContainerStatusView {
            kind: c.kind,
            current: current_at.map(|i| &seen[i]),
            run_started: current_at.and_then(|i| start_of(i + 1)),
            last: last_end.map(|i| (&seen[i], start_of(i))),
            restarts: runs.saturating_sub(1),
        }
    }

    fn is_running(&self) -> bool {
        self.current.is_some_and(|s| s.state == "running")
    }

    /// `status.ready` as the kubelet's prober manager sets it without probes: an init
    /// container once it exited 0, any other container while it runs.
    fn ready(&self) -> bool {
        match self.kind {
            super::timeline::ContainerKind::Init => self
                .current
                .is_some_and(|s| s.state == "terminated" && s.exit_code == Some(0)),
            _ => self.is_running(),
        }
    }

    /// `describeContainerState`: State, Last State, Ready, Restart Count.
    fn describe(&self, out: &mut String, tl: &Timeline) {
        describe_state(out, tl, "State", self.current, self.run_started);
        if let Some((end, started)) = self.last {
            describe_state(out, tl, "Last State", Some(end), started);
        }
        let _ = writeln!(
            out,
            "    Ready:\t{}",
            if self.ready() { "True" } else { "False" }
        );
        let _ = writeln!(out, "    Restart Count:\t{}", self.restarts);
    }
}

/// `describeStatus`: one container state with its reason, exit code and times.
fn describe_state(
    out: &mut String,
    tl: &Timeline,
    title: &str,
    state: Option<&super::timeline::ContainerStateInterval>,
    run_started: Option<Time>,
) {
    let Some(s) = state else {
        let _ = writeln!(out, "    {title}:\tWaiting");
        return;
    };
    match s.state.as_str() {
        "running" => {
            let _ = writeln!(out, "    {title}:\tRunning");
            let _ = writeln!(out, "      Started:\t{}", rfc1123z(tl, s.from));
        }
        "terminated" => {
            let _ = writeln!(out, "    {title}:\tTerminated");
            if !s.reason.is_empty() {
                let _ = writeln!(out, "      Reason:\t{}", s.reason);
            }
            let _ = writeln!(out, "      Exit Code:\t{}", s.exit_code.unwrap_or(0));
            let started = run_started.unwrap_or(s.from);
            let _ = writeln!(out, "      Started:\t{}", rfc1123z(tl, started));
            let _ = writeln!(out, "      Finished:\t{}", rfc1123z(tl, s.from));
        }
        _ => {
            let _ = writeln!(out, "    {title}:\tWaiting");
            if !s.reason.is_empty() {
                let _ = writeln!(out, "      Reason:\t{}", s.reason);
            }
        }
    }
}

/// The pod's conditions in the order the kubelet writes them (PodReadyToStartContainers,
/// Initialized, Ready, ContainersReady, then the scheduler's PodScheduled), and a
/// DisruptionTarget the controllers added.
fn describe_pod_conditions(
    out: &mut String,
    p: &PodRecord,
    states: &[Option<ContainerStatusView>],
    phase: &str,
    started: Option<Time>,
    t: Time,
) {
    let mut conditions: Vec<(&str, bool)> = Vec::new();
    if started.is_some() {
        let views: Vec<&ContainerStatusView> = states.iter().flatten().collect();
        let terminal = matches!(phase, "Succeeded" | "Failed");
        // The sandbox is up once a container has run, and torn down when the pod is done.
        let sandbox = !terminal
            && views
                .iter()
                .any(|v| v.current.is_some_and(|s| s.reason != "ContainerCreating"));
        let initialized = views.iter().all(|v| match v.kind {
            super::timeline::ContainerKind::Init => v.ready(),
            super::timeline::ContainerKind::Sidecar => {
                v.restarts > 0 || v.current.is_some_and(|s| s.state != "waiting")
            }
            super::timeline::ContainerKind::Regular => true,
        });
        let containers_ready = !terminal
            && views
                .iter()
                .filter(|v| v.kind != super::timeline::ContainerKind::Init)
                .all(|v| v.ready());
        conditions.extend([
            ("PodReadyToStartContainers", sandbox),
            ("Initialized", initialized),
            ("Ready", containers_ready),
            ("ContainersReady", containers_ready),
            ("PodScheduled", true),
        ]);
    } else {
        conditions.push(("PodScheduled", false));
    }
    for c in p.conditions().iter().filter(|c| c.at <= t) {
        conditions.push((c.type_.as_str(), true));
    }
    out.push_str("Conditions:\n  Type\tStatus\n");
    for (type_, status) in conditions {
        let status = if status { "True" } else { "False" };
        let _ = writeln!(out, "  {type_} \t{status} ");
    }
}

/// `describeVolumes` for the volume kinds the simulator reads, and a pod's API token volume.
fn describe_volumes(
    out: &mut String,
    indent: &str,
    pod: &crate::model::PodSpec,
    token_volume: Option<&str>,
) {
    if pod.volumes.is_empty() && token_volume.is_none() {
        let _ = writeln!(out, "{indent}Volumes:\t<none>");
        return;
    }
    let _ = writeln!(out, "{indent}Volumes:");
    let name_indent = if indent.is_empty() { "" } else { " " };
    for v in &pod.volumes {
        let _ = writeln!(out, "  {name_indent}{}:", v.name);
        if let Some(cm) = &v.config_map {
            let _ = writeln!(out, "    Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}", cm.name, cm.optional.unwrap_or(false));
        } else if let Some(s) = &v.secret {
            let _ = writeln!(out, "    Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}", s.secret_name, s.optional.unwrap_or(false));
        } else if v.empty_dir.is_some() {
            out.push_str("    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t\n    SizeLimit:\t<unset>\n");
        } else if let Some(pvc) = &v.persistent_volume_claim {
            let _ = writeln!(out, "    Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}", pvc.claim_name, pvc.read_only.unwrap_or(false));
        }
    }
    if let Some(name) = token_volume {
        // `printProjectedVolumeSource` of what the ServiceAccount admission plugin adds.
        let _ = writeln!(out, "  {name}:\n    Type:\tProjected (a volume that contains injected data from multiple sources)\n    TokenExpirationSeconds:\t3607\n    ConfigMapName:\tkube-root-ca.crt\n    Optional:\tfalse\n    DownwardAPI:\ttrue");
    }
}

/// The name of the API token volume the ServiceAccount admission plugin adds to every pod
/// (`kube-api-access-` and five random characters): drawn from the pod's name, so a pod keeps
/// its volume's name whenever it is described and the run's own random draws are untouched.
fn token_volume_name(pod: &str) -> String {
    let mut name = String::from("kube-api-access-");
    crate::rng::Rng::new(crate::lesson::fnv1a64(pod)).push_name_suffix(&mut name);
    name
}

/// The pod's QoS class (`GetPodQOS`, pkg/apis/core/helper/qos/qos.go): BestEffort without any
/// CPU or memory request or limit; Guaranteed when every container limits both and every
/// request equals its limit (a request left out defaults to the limit); Burstable otherwise.
fn qos_class(pod: &crate::model::PodSpec) -> &'static str {
    use crate::quantity::Quantity;
    let mut requests: std::collections::BTreeMap<&str, Quantity> = Default::default();
    let mut limits: std::collections::BTreeMap<&str, Quantity> = Default::default();
    let mut guaranteed = true;
    let parsed = |map: &crate::model::StringMap, name: &str| {
        map.get(name)
            .and_then(|v| Quantity::parse(v).ok())
            .filter(|q| !q.is_zero())
    };
    for c in pod.init_containers.iter().chain(&pod.containers) {
        for name in ["cpu", "memory"] {
            let limit = parsed(&c.resources.limits, name);
            let request = parsed(&c.resources.requests, name).or(limit);
            if let Some(r) = request {
                let sum = requests
                    .entry(name)
                    .or_insert_with(|| Quantity::from_millis(0));
                *sum = Quantity::from_millis(sum.milli_value() + r.milli_value());
            }
            match limit {
                Some(l) => {
                    let sum = limits
                        .entry(name)
                        .or_insert_with(|| Quantity::from_millis(0));
                    *sum = Quantity::from_millis(sum.milli_value() + l.milli_value());
                }
                None => guaranteed = false,
            }
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort";
    }
    if guaranteed
        && requests.len() == limits.len()
        && requests.iter().all(|(k, r)| limits.get(k) == Some(r))
    {
        return "Guaranteed";
    }
    "Burstable"
}

/// The pod's tolerations as `printPodTolerationsMultiline` lists them, with the two the
/// DefaultTolerationSeconds admission plugin adds to every pod that has no such toleration of
/// its own (not-ready and unreachable nodes, 300 s).
fn describe_tolerations(out: &mut String, pod: &crate::model::PodSpec) {
    let mut lines: Vec<String> = pod
        .tolerations
        .iter()
        .map(|t| {
            let key = t.key.as_deref().unwrap_or("");
            let value = t.value.as_deref().unwrap_or("");
            let effect = t.effect.as_deref().unwrap_or("");
            let mut line = key.to_string();
            if !value.is_empty() {
                let _ = write!(line, "={value}");
            }
            if !effect.is_empty() {
                let _ = write!(line, ":{effect}");
            }
            if t.operator.as_deref() == Some("Exists") && value.is_empty() {
                line.push_str(if key.is_empty() && effect.is_empty() {
                    "op=Exists"
                } else {
                    " op=Exists"
                });
            }
            if let Some(s) = t.toleration_seconds {
                let _ = write!(line, " for {s}s");
            }
            line
        })
        .collect();
    for taint in [
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    ] {
        let tolerated = pod.tolerations.iter().any(|t| {
            let effect = t.effect.as_deref().unwrap_or("");
            let key = t.key.as_deref().unwrap_or("");
            (effect.is_empty() || effect == "NoExecute")
                && (key == taint || (key.is_empty() && t.operator.as_deref() == Some("Exists")))
        });
        if !tolerated {
            lines.push(format!("{taint}:NoExecute op=Exists for 300s"));
        }
    }
    multiline_lines(out, "", "Tolerations", lines.iter());
}

/// One container as `kubectl describe` lists it (`describeContainers` in
/// staging/src/k8s.io/kubectl/pkg/describe/describe.go): in a pod template (`name_indent` " ")
/// or in a pod (""). A container with a status gets its `Container ID` and `Image ID` lines
/// (empty: the simulator has no container runtime to name them) and `status` prints its state
/// after its command. A pod's containers also mount its API token volume (`token_volume`).
fn describe_container(
    out: &mut String,
    name_indent: &str,
    c: &crate::model::Container,
    status: Option<impl FnOnce(&mut String)>,
    token_volume: Option<&str>,
) {
    let _ = writeln!(out, "  {name_indent}{}:", c.name);
    if status.is_some() {
        out.push_str("    Container ID:\t\n");
    }
    let _ = writeln!(out, "    Image:\t{}", c.image.as_deref().unwrap_or(""));
    if status.is_some() {
        out.push_str("    Image ID:\t\n");
    }
    out.push_str("    Port:\t<none>\n    Host Port:\t<none>\n");
    for (label, list) in [("Command", &c.command), ("Args", &c.args)] {
        if !list.is_empty() {
            let _ = writeln!(out, "    {label}:");
            for a in list.iter() {
                for line in a.lines() {
                    let _ = writeln!(out, "      {line}");
                }
            }
        }
    }
    if let Some(status) = status {
        status(out);
    }
    for (label, map) in [
        ("Limits", &c.resources.limits),
        ("Requests", &c.resources.requests),
    ] {
        if !map.is_empty() {
            let _ = writeln!(out, "    {label}:");
            for (k, v) in map.iter() {
                let _ = writeln!(out, "      {k}:\t{v}");
            }
        }
    }
    if c.env.is_empty() && c.env_from.is_empty() {
        out.push_str("    Environment:\t<none>\n");
    } else {
        out.push_str("    Environment");
        if !c.env_from.is_empty() {
            out.push_str(" Variables from:\n");
            for f in &c.env_from {
                if let Some(r) = &f.config_map_ref {
                    let _ = writeln!(
                        out,
                        "      {}\tConfigMap\tOptional: {}",
                        r.name,
                        r.optional.unwrap_or(false)
                    );
                }
                if let Some(r) = &f.secret_ref {
                    let _ = writeln!(
                        out,
                        "      {}\tSecret\tOptional: {}",
                        r.name,
                        r.optional.unwrap_or(false)
                    );
                }
            }
            out.push_str("    Environment");
        }
        if c.env.is_empty() {
            out.push_str(":\t<none>\n");
        } else {
            out.push_str(":\n");
            for e in &c.env {
                let value = match &e.value_from {
                    None => e.value.clone().unwrap_or_default(),
                    Some(src) => {
                        if let Some(k) = &src.config_map_key_ref {
                            format!(
                                "<set to the key '{}' of config map '{}'>\tOptional: {}",
                                k.key,
                                k.name,
                                k.optional.unwrap_or(false)
                            )
                        } else if let Some(k) = &src.secret_key_ref {
                            format!(
                                "<set to the key '{}' in secret '{}'>\tOptional: {}",
                                k.key,
                                k.name,
                                k.optional.unwrap_or(false)
                            )
                        } else if let Some(f) = &src.field_ref {
                            format!(
                                " ({}:{})",
                                f.api_version.as_deref().unwrap_or("v1"),
                                f.field_path
                            )
                        } else {
                            String::new()
                        }
                    }
                };
                let _ = writeln!(out, "      {}:\t{value}", e.name);
            }
        }
    }
    // Sorted by path, as `describeContainerVolumes` sorts them.
    let mut mounts: Vec<(&str, &str, &str)> = c
        .volume_mounts
        .iter()
        .map(|m| {
            let access = if m.read_only.unwrap_or(false) {
                "ro"
            } else {
                "rw"
            };
            (m.mount_path.as_str(), m.name.as_str(), access)
        })
        .collect();
    if let Some(volume) = token_volume {
        mounts.push((SERVICE_ACCOUNT_MOUNT, volume, "ro"));
    }
    crate::sort::sort_by(&mut mounts, |a, b| a.0.cmp(b.0));
    if mounts.is_empty() {
        out.push_str("    Mounts:\t<none>\n");
    } else {
        out.push_str("    Mounts:\n");
        for (path, volume, access) in mounts {
            let _ = writeln!(out, "      {path} from {volume} ({access})");
        }
    }
}

/// Where the ServiceAccount admission plugin mounts a pod's API token.
const SERVICE_ACCOUNT_MOUNT: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// How long ago a stored event happened, as kubectl prints a counted one: `16s (x2 over 31s)`.
fn event_age(stored: &StoredEvent, t: Time) -> String {
    let since = |at: Time| human_duration(t.0.saturating_sub(at.0));
    if stored.count > 1 {
        format!(
            "{} (x{} over {})",
            since(stored.last),
            stored.count,
            since(stored.first)
        )
    } else {
        since(stored.first)
    }
}

/// The object's events up to `t` as `kubectl describe` lists them (`DescribeEvents`): as the API
/// server stores them (`recorder`).
fn describe_events(out: &mut String, tl: &Timeline, kind: EventObject, name: &str, t: Time) {
    let stored = stored_events(
        tl.events
            .iter()
            .filter(|e| e.kind == kind && e.name == name && e.at <= t),
    );
    if stored.is_empty() {
        out.push_str("Events:\t<none>\n");
        return;
    }
    out.push_str(
        "Events:\n  Type\tReason\tAge\tFrom\tMessage\n  ----\t------\t----\t----\t-------\n",
    );
    for s in stored {
        let e = s.event;
        let _ = writeln!(
            out,
            "  {}\t{}\t{}\t{}\t{}",
            e.type_,
            e.reason,
            event_age(&s, t),
            e.source,
            s.message()
        );
    }
}

/// `kubectl logs POD [-c CONTAINER] [--previous]` at instant `t`: the lines of the container's
/// current run (or the one before, with `previous`). Err is kubectl's error text.
pub fn logs(
    tl: &Timeline,
    pod: &str,
    container: Option<&str>,
    previous: bool,
    t: Time,
) -> Result<String, String> {
    let p = tl
        .pod(pod)
        .filter(|p| p.exists_at(t))
        .ok_or_else(|| format!("Error from server (NotFound): pods \"{pod}\" not found"))?;
    let c = match container {
        Some(name) => p
            .containers
            .iter()
            .find(|c| c.name == name)
            .ok_or_else(|| format!("error: container {name} is not valid for pod {pod}"))?,
        // kubectl defaults to the first regular container, never an init container.
        None => p
            .containers
            .iter()
            .find(|c| c.kind.is_regular())
            .ok_or_else(|| format!("error: pod {pod} has no containers"))?,
    };
    let runs_started = c
        .states
        .iter()
        .filter(|s| s.state == "running" && s.from <= t)
        .count() as u32;
    if runs_started == 0 {
        return Err(format!(
            "Error from server (BadRequest): container \"{}\" in pod \"{pod}\" is waiting to start: {}",
            c.name,
            p.status_at(t).map_or("ContainerCreating", |s| s.reason.as_str())
        ));
    }
    let run = if previous {
        if runs_started < 2 {
            return Err(format!("Error from server (BadRequest): previous terminated container \"{}\" in pod \"{pod}\" not found", c.name));
        }
        runs_started - 2
    } else {
        runs_started - 1
    };
    let mut out = String::new();
    for l in p
        .logs()
        .iter()
        .filter(|l| l.container == c.name && l.run == run && l.at <= t)
    {
        out.push_str(&l.text);
        out.push('\n');
    }
    Ok(out)
}

/// `kubectl get events` at instant `t`, repeats folded, in the order they last happened.
pub fn get_events(tl: &Timeline, t: Time) -> String {
    let stored = stored_events(tl.events.iter().filter(|e| e.at <= t));
    if stored.is_empty() {
        return "No resources found in default namespace.\n".into();
    }
    let mut text = String::from("LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n");
    for s in stored {
        let e = s.event;
        let _ = writeln!(
            text,
            "{}\t{}\t{}\t{}/{}\t{}",
            event_age(&s, t),
            e.type_,
            e.reason,
            e.kind.to_lowercase(),
            e.name,
            s.message()
        );
    }
    table(&text)
}

/// A `kubectl get pods -w` transcript: one row per change, stamped with the virtual time.
pub fn watch_pods(tl: &Timeline) -> String {
    let mut rows: Vec<(Time, usize, String)> = Vec::new();
    for (n, p) in tl.pods.iter().enumerate() {
        for s in &p.phases {
            let row = format!(
                "{}\t{}\t{}/{}\t{}\t{}\t{}",
                clock(s.at),
                p.name,
                s.ready,
                s.total,
                s.reason,
                restarts_cell(s.restarts, s.last_restart_at.get(), s.at),
                human_duration(s.at.0.saturating_sub(p.created_at.0))
            );
            rows.push((s.at, n, row));
        }
        if let (Some(d), Some(last)) = (p.deleted_at, p.phases.last()) {
            let row = format!(
                "{}\t{}\t{}/{}\t(deleted)\t{}\t{}",
                clock(d),
                p.name,
                last.ready,
                last.total,
                last.restarts,
                human_duration(d.0.saturating_sub(p.created_at.0))
            );
            rows.push((d, n, row));
        }
    }
    crate::sort::sort_by_key(&mut rows, |(at, n, _)| (*at, *n));
    let mut text = String::from("TIME\tNAME\tREADY\tSTATUS\tRESTARTS\tAGE\n");
    for (_, _, row) in rows {
        text.push_str(&row);
        text.push('\n');
    }
    table(&text)
}

/// `+MM:SS` (or `+H:MM:SS`) from the start.
pub fn clock(t: Time) -> String {
    let s = t.0 / 1000;
    if s >= 3600 {
        format!("+{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
    } else {
        format!("+{:02}:{:02}", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_durations_match_kubectl() {
        assert_eq!(human_duration(45_000), "45s");
        assert_eq!(human_duration(119_000), "119s");
        assert_eq!(human_duration(125_000), "2m5s");
        assert_eq!(human_duration(180_000), "3m");
        assert_eq!(human_duration(15 * 60_000), "15m");
        assert_eq!(human_duration(200 * 60_000), "3h20m");
        assert_eq!(human_duration(30 * 3_600_000), "30h");
        assert_eq!(human_duration(52 * 3_600_000), "2d4h");
    }

    #[test]
    fn tabwriter_aligns_like_go() {
        let out = tabwrite("NAME\tREADY\tSTATUS\npi-xf9p4\t0/1\tCompleted\n", 6, 3);
        assert_eq!(
            out,
            "NAME       READY   STATUS\npi-xf9p4   0/1     Completed\n"
        );
        // A line without a tab ends the block.
        let out = tabwrite("Name:\tpi\nPod Template:\n  Labels:\tx=y\n", 0, 2);
        assert_eq!(out, "Name:  pi\nPod Template:\n  Labels:  x=y\n");
    }

    #[test]
    fn get_cronjobs_shows_suspend_active_and_last_schedule_over_time() {
        let manifest = "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: poll-queue}\nspec:\n  schedule: \"*/1 * * * *\"\n  concurrencyPolicy: Forbid\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers: [{name: poll, image: busybox:1.36, command: [sh, -c, 'sleep 90']}]\n";
        let scenario =
            crate::sim::parse_scenario("horizon: 8m\nfaults:\n- {at: 5m, suspend: poll-queue}\n")
                .expect("scenario");
        let input = crate::sim::SimInput::from_bundle(&crate::manifest::parse(manifest));
        let tl = crate::sim::simulate(&input, &scenario);
        assert_eq!(
            get_cronjobs(&tl, Time::from_secs(30)),
            "NAME         SCHEDULE      TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE\n\
             poll-queue   */1 * * * *   <none>     False     0        <none>          30s\n"
        );
        assert_eq!(
            get_cronjobs(&tl, Time::from_secs(270)),
            "NAME         SCHEDULE      TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE\n\
             poll-queue   */1 * * * *   <none>     False     1        30s             4m30s\n"
        );
        assert_eq!(
            get_cronjobs(&tl, Time::from_secs(480)),
            "NAME         SCHEDULE      TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE\n\
             poll-queue   */1 * * * *   <none>     True      0        4m              8m\n"
        );
    }
}
