//! The Job controller, mirroring `pkg/controller/job/job_controller.go` of Kubernetes 1.34 so a
//! reader can hold the two side by side:
//!
//! | here | upstream |
//! |---|---|
//! | `Sim::create_job` | API server create + `addJob` (sync at once) |
//! | `Sim::sync_job` | `syncJob` |
//! | counting in `sync_job` | `getPodsForJob`, `FilterActivePods`, `getNewFinishedPods` |
//! | `new_backoff_record`, `remaining_backoff` | `backoff_utils.go` `newBackoffRecord`, `getRemainingTime` |
//! | `match_pod_failure_policy` | `pod_failure_policy.go` `matchPodFailurePolicy` |
//! | `past_backoff_limit_on_failure` | `pastBackoffLimitOnFailure` |
//! | `match_success_policy` | `success_policy.go` `matchSuccessPolicy` |
//! | `manage_job` | `manageJob` |
//! | `track_job_status_and_remove_finalizers` | `trackJobStatusAndRemoveFinalizers`, `enactJobFinished`, `recordJobFinished` |
//!
//! The simulator collapses the finalizer dance (uncountedTerminatedPods, then counters) into one
//! step per sync: a pod carrying the `batch.kubernetes.io/job-tracking` finalizer is counted once,
//! and loses the finalizer in the same sync. All feature gates are at their 1.34 defaults:
//! terminal conditions are delayed (FailureTarget/SuccessCriteriaMet first), `status.terminating`
//! is tracked, podFailurePolicy, backoffLimitPerIndex and successPolicy are on.

use super::engine::{CState, Cond, Defaults, Ev, Job, PodList, Sim};
use super::indexes::{parse_indexes, IndexSet};
use super::timeline::{
    ConditionRecord, EventType, JobRecord, JobSnapshot, JobSpecSummary, Labels, MaybeTime, Phase,
    Reason, Text, Time,
};
use super::units::Ms;
use crate::model;
use smallvec::SmallVec;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// `DefaultJobPodFailureBackOff` and `MaxJobPodFailureBackOff` (the code's cap is 10 minutes; the
/// docs' "six minutes" is stale).
const POD_FAILURE_BACKOFF_MS: Ms = 10_000;
const MAX_POD_FAILURE_BACKOFF_MS: Ms = 600_000;
/// `MaxPodCreateDeletePerSync`.
const MAX_PODS_PER_SYNC: usize = 500;

/// A Job's `.status`.
#[derive(Debug, Clone, Default)]
pub struct Status {
    pub active: i64,
    pub ready: i64,
    pub succeeded: i64,
    pub failed: i64,
    pub terminating: i64,
    pub completed: IndexSet,
    pub failed_indexes: Option<IndexSet>,
    pub start_time: Option<Ms>,
    pub completion_time: Option<Ms>,
    pub conditions: SmallVec<[Cond; 2]>,
}

impl Status {
    /// The condition of this type whose status is True, if the Job has one.
    pub(crate) fn condition(&self, type_: &str) -> Option<&Cond> {
        self.conditions
            .iter()
            .find(|c| c.type_ == type_ && c.status == "True")
    }
}

/// What the controller keeps in memory about a Job (lost when kube-controller-manager restarts).
#[derive(Debug, Clone, Default)]
pub struct ControllerMemory {
    /// When the workqueue will hand this Job over next.
    pub sync_at: Option<Ms>,
    pub backoff: BackoffRecord,
    /// Per completion index, for backoffLimitPerIndex (carried on pods as annotations upstream).
    pub index_failures: BTreeMap<i64, IndexFailures>,
}

/// `backoffRecord`: failures since the last success and when the latest one finished.
#[derive(Debug, Clone, Copy, Default)]
pub struct BackoffRecord {
    pub failures_after_last_success: u32,
    pub last_failure_time: Option<Ms>,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct IndexFailures {
    pub failures: u32,
    pub ignored: u32,
    pub last_failure_at: Ms,
}

/// What the pod failure policy says about a failed pod.
#[derive(Debug, Clone, PartialEq)]
struct PolicyOutcome {
    /// `FailJob`, `FailIndex`, `Ignore` or `Count` (None: no rule matched).
    action: Option<&'static str>,
    /// Whether the failure counts toward backoffLimit.
    count: bool,
    /// The FailJob message.
    fail_job_message: Option<Text>,
}

/// Why a Job is finishing: the interim condition's reason and message.
#[derive(Debug, Clone)]
struct Finishing {
    success: bool,
    reason: Text,
    message: Text,
}

/// The CronJob a Job is made for, and when for.
pub struct CronJobParent<'a> {
    pub name: &'a Text,
    /// The Job's name (`metadata.name` is not read): the text the CronJob's status and records
    /// already share.
    pub job_name: Text,
    /// The CronJob's namespace, which its Jobs are created in (`getJobFromTemplate2`).
    pub namespace: Text,
    /// The `batch.kubernetes.io/cronjob-scheduled-timestamp` annotation's value.
    pub scheduled_timestamp: String,
}

impl<'a> Sim<'a> {
    /// Creates a Job as the API server would (defaults, UID, generated selector and labels) and
    /// lets the controller see it at once. This is also the entry point for the CronJob controller,
    /// which passes the same `spec` for every Job of its template (it is shared, never copied),
    /// and itself as `cron_job`.
    pub fn create_job(
        &mut self,
        metadata: &model::ObjectMeta,
        spec: Arc<model::JobSpec>,
        cron_job: Option<CronJobParent<'_>>,
    ) -> usize {
        let (name, namespace) = match &cron_job {
            Some(parent) => (parent.job_name.clone(), parent.namespace.clone()),
            None => (
                Text::new(metadata.name.as_deref().unwrap_or("job")),
                super::engine::namespace_of(metadata),
            ),
        };
        let uid = super::engine::new_uid(&mut self.uids);
        let d = Defaults::of(&spec);
        let texts = self.template_texts(&spec);
        // The pod template's labels plus the generated selector labels: what the Job's pods carry
        // and `kubectl describe` shows under "Pod Template". A label the template sets itself
        // keeps its value (it comes last).
        let generated = super::engine::job_labels(&name, &uid).into_iter();
        let template_labels: Labels = generated
            .chain(texts.labels.iter().map(|(k, v)| (k.clone(), v.clone())))
            .collect();
        // A Job without labels of its own gets its template's (strategy.go, PrepareForCreate).
        let labels = if metadata.labels.is_empty() {
            template_labels.clone()
        } else {
            super::engine::labels_of(&metadata.labels, None)
        };
        let (cron_job, scheduled_timestamp) = match cron_job {
            Some(parent) => (
                Some(parent.name.clone()),
                Some((
                    Text::from(super::cronjob::sync::SCHEDULED_TIMESTAMP_ANNOTATION),
                    Text::from(parent.scheduled_timestamp),
                )),
            ),
            None => (None, None),
        };
        let annotations = super::engine::labels_of(&metadata.annotations, scheduled_timestamp);
        let j = self.jobs.len();
        // Every field spelled out: `..JobRecord::default()` would build (and drop) a default spec.
        self.tl.jobs.push(JobRecord {
            name: name.clone(),
            namespace: namespace.clone(),
            created_at: Time(self.now),
            deleted_at: None,
            cron_job: cron_job.clone(),
            // Most Jobs end with two conditions (SuccessCriteriaMet, Complete) and three status
            // writes: both lists hold that many in the record itself (see `timeline`).
            conditions: SmallVec::new(),
            active: 0,
            ready: 0,
            succeeded: 0,
            failed: 0,
            terminating: 0,
            completed_indexes: Text::default(),
            failed_indexes: None,
            start_time: MaybeTime::NONE,
            completion_time: MaybeTime::NONE,
            history: SmallVec::new(),
            spec: JobSpecSummary {
                labels,
                annotations,
                uid: uid.clone(),
                parallelism: d.parallelism,
                completions: d.completions,
                completion_mode: if d.indexed { "Indexed" } else { "NonIndexed" },
                suspend: d.suspend,
                backoff_limit: d.backoff_limit,
                ttl_seconds_after_finished: d.ttl,
                active_deadline_seconds: d.active_deadline_seconds,
                source: spec.clone(),
                template_labels: template_labels.clone(),
            },
        });
        let failed_indexes = d.backoff_limit_per_index.map(|_| IndexSet::default());
        let pod_annotations = texts.annotations.clone();
        self.jobs.push(Job {
            texts,
            name,
            namespace,
            cron_job,
            uid,
            pod_labels: template_labels,
            pod_annotations,
            requests: super::engine::pod_requests(&spec.template.spec),
            spec,
            d,
            status: Status {
                conditions: SmallVec::new(),
                failed_indexes,
                ..Status::default()
            },
            live: PodList::new(),
            pods: PodList::new(),
            finished: false,
            deleted: false,
            ctl: ControllerMemory::default(),
        });
        self.record_job(j);
        self.enqueue_sync(j, self.now);
        j
    }

    /// `syncJob`: count the Job's pods, decide, act, write status.
    pub fn sync_job(&mut self, j: usize) {
        if self.jobs[j].finished || self.jobs[j].deleted {
            return;
        }
        if self.jobs[j]
            .spec
            .managed_by
            .as_deref()
            .is_some_and(|m| m != "kubernetes.io/job-controller")
        {
            return; // managed by an external controller: the built-in one skips it
        }
        let now = self.now;
        let d = self.jobs[j].d.clone();

        // getPodsForJob / FilterActivePods / getNewFinishedPods.
        // Taken out for the sync; pods created meanwhile are appended to the (empty) list.
        let mut live = std::mem::take(&mut self.jobs[j].live);
        let mut terminating_indexes: Vec<i64> = Vec::new();
        let mut active_pods = PodList::new();
        let mut terminating: i64 = 0;
        let mut ready: i64 = 0;
        let mut new_succeeded = PodList::new();
        let mut new_failed = PodList::new();
        for &pid in &live {
            let p = &self.pods[pid];
            if p.removed {
                continue;
            }
            if p.is_active() {
                active_pods.push(pid);
                if p.is_ready() {
                    ready += 1;
                }
            } else if p.is_terminating() {
                terminating += 1;
                terminating_indexes.extend(p.index);
            }
            if p.finalizer {
                if p.phase == Phase::Succeeded {
                    new_succeeded.push(pid);
                } else if is_pod_failed(p.phase, p.deletion_at.is_some(), d.only_replace_failed) {
                    new_failed.push(pid);
                }
            }
        }
        let mut active = active_pods.len() as i64;
        let spec = self.jobs[j].spec.clone();
        let outcomes: Vec<PolicyOutcome> = new_failed
            .iter()
            .map(|&pid| match &spec.pod_failure_policy {
                Some(pfp) if self.pods[pid].phase == Phase::Failed => {
                    self.match_pod_failure_policy(pfp, pid)
                }
                _ => PolicyOutcome {
                    action: None,
                    count: true,
                    fail_job_message: None,
                },
            })
            .collect();
        let counted_failures = outcomes.iter().filter(|o| o.count).count() as i64;
        let failed_so_far = self.jobs[j].status.failed + counted_failures;

        // Job first start.
        if self.jobs[j].status.start_time.is_none() && !d.suspend {
            self.jobs[j].status.start_time = Some(now);
        }
        self.new_backoff_record(j, &new_succeeded, &new_failed);

        // Decide: success path kept, then FailJob, backoffLimit, deadline (first hit wins).
        let status = &self.jobs[j].status;
        let mut finishing: Option<Finishing> =
            status.condition("SuccessCriteriaMet").map(|c| Finishing {
                success: true,
                reason: c.reason.clone(),
                message: c.message.clone(),
            });
        if finishing.is_none() {
            if let Some(c) = status.condition("FailureTarget") {
                finishing = Some(Finishing {
                    success: false,
                    reason: c.reason.clone(),
                    message: c.message.clone(),
                });
            } else if let Some(msg) = outcomes.iter().find_map(|o| o.fail_job_message.clone()) {
                finishing = Some(Finishing {
                    success: false,
                    reason: "PodFailurePolicy".into(),
                    message: msg,
                });
            }
        }
        if finishing.is_none() {
            if failed_so_far > d.backoff_limit || self.past_backoff_limit_on_failure(j, &live) {
                finishing = Some(Finishing {
                    success: false,
                    reason: "BackoffLimitExceeded".into(),
                    message: "Job has reached the specified backoff limit".into(),
                });
            } else if self.past_active_deadline(j) {
                finishing = Some(Finishing {
                    success: false,
                    reason: "DeadlineExceeded".into(),
                    message: "Job was active longer than specified deadline".into(),
                });
            } else if let (Some(ads), false, Some(start)) = (
                d.active_deadline_seconds,
                d.suspend,
                self.jobs[j].status.start_time,
            ) {
                self.enqueue_sync(j, start + ads.max(0) as Ms * 1000);
            }
        }

        // Indexed: succeeded and failed indexes, backoffLimitPerIndex, successPolicy.
        let mut succeeded_indexes = self.jobs[j].status.completed.clone();
        let mut failed_indexes = self.jobs[j].status.failed_indexes.clone();
        if d.indexed {
            let completions = d.completions.unwrap_or(0);
            for &pid in &new_succeeded {
                if let Some(i) = self.pods[pid].index.filter(|&i| i < completions) {
                    succeeded_indexes.insert(i);
                }
            }
            if let (Some(blpi), Some(failed)) = (d.backoff_limit_per_index, failed_indexes.as_mut())
            {
                for (k, &pid) in new_failed.iter().enumerate() {
                    let o = &outcomes[k];
                    let p = &self.pods[pid];
                    let Some(i) = p.index else { continue };
                    let index_failed = o.action == Some("FailIndex")
                        || (o.count && p.index_failure_count as i64 >= blpi);
                    if index_failed && !succeeded_indexes.contains(i) {
                        failed.insert(i);
                    }
                }
                if finishing.is_none() {
                    if d.max_failed_indexes
                        .is_some_and(|m| failed.len() as i64 > m)
                    {
                        finishing = Some(Finishing {
                            success: false,
                            reason: "MaxFailedIndexesExceeded".into(),
                            message:
                                "Job has exceeded the specified maximal number of failed indexes"
                                    .into(),
                        });
                    } else if !failed.is_empty()
                        && (failed.len() + succeeded_indexes.len()) as i64 >= completions
                    {
                        finishing = Some(Finishing {
                            success: false,
                            reason: "FailedIndexes".into(),
                            message: "Job has failed indexes".into(),
                        });
                    }
                }
            }
            if finishing.is_none() {
                if let Some(msg) = match_success_policy(
                    self.jobs[j].spec.success_policy.as_ref(),
                    completions,
                    &succeeded_indexes,
                ) {
                    finishing = Some(Finishing {
                        success: true,
                        reason: "SuccessPolicy".into(),
                        message: msg.into(),
                    });
                }
            }
        }
        let succeeded = if d.indexed {
            succeeded_indexes.len() as i64
        } else {
            self.jobs[j].status.succeeded + new_succeeded.len() as i64
        };

        let mut suspend_changed = false;
        if finishing.is_some() {
            // Remove active pods if the Job is finishing (deleteActivePods keeps finalizers).
            for &pid in &active_pods {
                if self.pods[pid].is_ready() {
                    ready -= 1;
                }
                self.delete_pod_by_controller(j, pid, false);
            }
            terminating += active;
            active = 0;
        } else {
            let before = active;
            active = self.manage_job(
                j,
                &active_pods,
                succeeded,
                (terminating, &terminating_indexes),
                &succeeded_indexes,
                failed_indexes.as_ref(),
            );
            if active < before {
                // manageJob deleted pods: they are terminating now.
                terminating += before - active;
                ready = active_pods
                    .iter()
                    .filter(|&&p| self.pods[p].is_ready())
                    .count() as i64;
            }
            let complete = match d.completions {
                None => succeeded > 0 && active == 0,
                Some(c) => succeeded >= c && active == 0,
            };
            if complete {
                finishing = Some(Finishing {
                    success: true,
                    reason: "CompletionsReached".into(),
                    message: "Reached expected number of succeeded pods".into(),
                });
            } else {
                suspend_changed = self.update_suspend_condition(j);
            }
        }
        let _ = suspend_changed;
        let s = &mut self.jobs[j].status;
        s.active = active;
        s.ready = ready.max(0);
        s.terminating = terminating;
        s.completed = succeeded_indexes;
        s.failed_indexes = failed_indexes;
        self.track_job_status_and_remove_finalizers(
            j,
            &live,
            &new_succeeded,
            &new_failed,
            &outcomes,
            finishing,
            terminating,
        );

        let mut created = std::mem::take(&mut self.jobs[j].live);
        live.retain(|&mut p| {
            !self.pods[p].removed && (!self.pods[p].phase.is_terminal() || self.pods[p].finalizer)
        });
        live.append(&mut created);
        self.jobs[j].live = live;
        self.record_job(j);
    }

    /// `manageJob`: suspend, delete surplus pods, or create missing ones (never both).
    fn manage_job(
        &mut self,
        j: usize,
        active_pods: &[usize],
        succeeded: i64,
        (terminating, terminating_indexes): (i64, &[i64]),
        succeeded_indexes: &IndexSet,
        failed_indexes: Option<&IndexSet>,
    ) -> i64 {
        let d = self.jobs[j].d.clone();
        let active = active_pods.len() as i64;
        if d.suspend {
            for &pid in active_pods {
                self.delete_pod_by_controller(j, pid, true);
            }
            return 0;
        }
        let want_active = match d.completions {
            None if succeeded > 0 => active,
            None => d.parallelism,
            Some(c) => (c - succeeded).min(d.parallelism).max(0),
        };
        // Pods to delete: duplicates of an index, then the surplus in ActivePods order.
        let mut to_delete: Vec<usize> = Vec::new();
        let mut left: Vec<usize> = active_pods.to_vec();
        if d.indexed {
            let completions = d.completions.unwrap_or(0);
            let mut seen: BTreeSet<i64> = BTreeSet::new();
            crate::sort::sort_by_key(&mut left, |&p| {
                (self.pods[p].index, std::cmp::Reverse(self.deletion_rank(p)))
            });
            let mut keep = Vec::new();
            for p in left {
                match self.pods[p].index {
                    Some(i) if i < completions && seen.insert(i) => keep.push(p),
                    _ => to_delete.push(p),
                }
            }
            left = keep;
        }
        let rm_at_least = (active - want_active).max(0) as usize;
        if to_delete.len() < rm_at_least {
            crate::sort::sort_by_key(&mut left, |&p| self.deletion_rank(p));
            let more = rm_at_least - to_delete.len();
            to_delete.extend(left.iter().take(more));
        }
        if !to_delete.is_empty() {
            to_delete.truncate(MAX_PODS_PER_SYNC);
            for &pid in &to_delete {
                self.delete_pod_by_controller(j, pid, true);
            }
            return active - to_delete.len() as i64;
        }
        let mut diff = want_active - active;
        if d.only_replace_failed {
            diff -= terminating;
        }
        if diff <= 0 {
            return active;
        }
        let mut diff = diff as usize;
        if diff > MAX_PODS_PER_SYNC {
            diff = MAX_PODS_PER_SYNC;
            self.enqueue_sync(j, self.now + super::engine::SYNC_BATCH_MS);
        }
        if d.indexed {
            let indexes = self.first_pending_indexes(
                j,
                active_pods,
                terminating_indexes,
                diff,
                succeeded_indexes,
                failed_indexes,
            );
            let mut created = 0;
            for i in indexes {
                if self.create_pod_for_job(j, Some(i)).is_none() {
                    break;
                }
                created += 1;
            }
            return active + created;
        }
        let remaining = self.remaining_backoff(j);
        if remaining > 0 {
            self.enqueue_sync(j, self.now + remaining);
            return active;
        }
        let mut created = 0;
        for _ in 0..diff {
            if self.create_pod_for_job(j, None).is_none() {
                break;
            }
            created += 1;
        }
        active + created
    }

    /// `firstPendingIndexes`: the lowest indexes not succeeded, not running, not failed and (with
    /// podReplacementPolicy Failed) not held by a terminating pod; with backoffLimitPerIndex,
    /// indexes still in their back-off wait are skipped and the Job requeued.
    fn first_pending_indexes(
        &mut self,
        j: usize,
        active_pods: &[usize],
        terminating_indexes: &[i64],
        want: usize,
        succeeded: &IndexSet,
        failed: Option<&IndexSet>,
    ) -> Vec<i64> {
        let d = self.jobs[j].d.clone();
        let completions = d.completions.unwrap_or(0);
        let mut taken: BTreeSet<i64> = active_pods
            .iter()
            .filter_map(|&p| self.pods[p].index)
            .collect();
        if d.only_replace_failed {
            taken.extend(terminating_indexes);
        }
        let mut out = Vec::new();
        let mut wait: Option<Ms> = None;
        let mut i = succeeded.first_missing();
        while out.len() < want && i < completions {
            if !succeeded.contains(i)
                && !taken.contains(&i)
                && !failed.is_some_and(|f| f.contains(i))
            {
                let delay = self.remaining_index_backoff(j, i);
                if delay > 0 {
                    wait = Some(wait.map_or(delay, |w: Ms| w.min(delay)));
                } else {
                    out.push(i);
                }
            }
            i += 1;
        }
        if d.backoff_limit_per_index.is_none() {
            // Without per-index back-off the Job-wide delay applies to every index.
            let remaining = self.remaining_backoff(j);
            if remaining > 0 {
                self.enqueue_sync(j, self.now + remaining);
                return Vec::new();
            }
        }
        if let Some(w) = wait {
            self.enqueue_sync(j, self.now + w);
        }
        out
    }

    /// Deletion preference of `controller.ActivePods`: unscheduled, then pending, then not ready,
    /// then more restarts, then newer pods go first.
    fn deletion_rank(
        &self,
        pid: usize,
    ) -> (
        bool,
        bool,
        bool,
        std::cmp::Reverse<u32>,
        std::cmp::Reverse<usize>,
    ) {
        let p = &self.pods[pid];
        (
            p.node.is_some(),
            p.phase == Phase::Running,
            p.is_ready(),
            std::cmp::Reverse(p.restart_count()),
            std::cmp::Reverse(pid),
        )
    }

    fn create_pod_for_job(&mut self, j: usize, index: Option<i64>) -> Option<usize> {
        let pid = self.create_pod(j, index)?;
        let message = Text::concat(&["Created pod: ", &self.pods[pid].name]);
        self.job_event(j, EventType::Normal, Reason::SuccessfulCreate, message);
        Some(pid)
    }

    fn delete_pod_by_controller(&mut self, j: usize, pid: usize, remove_finalizer_first: bool) {
        self.delete_pod(pid, remove_finalizer_first);
        let message = Text::concat(&["Deleted pod: ", &self.pods[pid].name]);
        self.job_event(j, EventType::Normal, Reason::SuccessfulDelete, message);
    }

    /// `newBackoffRecord`: failures since the latest success, and when the latest failure ended.
    fn new_backoff_record(&mut self, j: usize, new_succeeded: &[usize], new_failed: &[usize]) {
        let finish = |pid: usize| {
            self.pods[pid]
                .finished_at
                .or(self.pods[pid].deletion_at)
                .unwrap_or(self.now)
        };
        let last_success = new_succeeded.iter().map(|&p| finish(p)).max();
        let rec = self.jobs[j].ctl.backoff;
        let failures: Vec<Ms> = new_failed.iter().map(|&p| finish(p)).collect();
        let new = match last_success {
            None if failures.is_empty() => rec,
            None => BackoffRecord {
                failures_after_last_success: rec.failures_after_last_success
                    + failures.len() as u32,
                last_failure_time: failures.iter().copied().max().max(rec.last_failure_time),
            },
            Some(s) => {
                let after: Vec<Ms> = failures.into_iter().filter(|&f| f > s).collect();
                BackoffRecord {
                    failures_after_last_success: after.len() as u32,
                    last_failure_time: after.iter().copied().max(),
                }
            }
        };
        self.jobs[j].ctl.backoff = new;
        if self.jobs[j].d.backoff_limit_per_index.is_some() {
            for &pid in new_failed {
                let (Some(i), at) = (self.pods[pid].index, finish(pid)) else {
                    continue;
                };
                let counted = self.jobs[j]
                    .spec
                    .pod_failure_policy
                    .as_ref()
                    .is_none_or(|pfp| self.match_pod_failure_policy(pfp, pid).count);
                let e = self.jobs[j].ctl.index_failures.entry(i).or_default();
                if counted {
                    e.failures += 1;
                } else {
                    e.ignored += 1;
                }
                e.last_failure_at = at;
            }
        }
    }

    /// `getRemainingTime`: how long before replacements may be created.
    fn remaining_backoff(&self, j: usize) -> Ms {
        let rec = self.jobs[j].ctl.backoff;
        match rec.last_failure_time {
            Some(last) if rec.failures_after_last_success > 0 => {
                remaining(rec.failures_after_last_success, last, self.now)
            }
            _ => 0,
        }
    }

    fn remaining_index_backoff(&self, j: usize, index: i64) -> Ms {
        if self.jobs[j].d.backoff_limit_per_index.is_none() {
            return 0;
        }
        match self.jobs[j].ctl.index_failures.get(&index) {
            Some(f) if f.failures + f.ignored > 0 => {
                remaining(f.failures + f.ignored, f.last_failure_at, self.now)
            }
            _ => 0,
        }
    }

    /// `pastBackoffLimitOnFailure`: restartPolicy OnFailure counts container restarts of pods that
    /// are still Pending or Running; the Job fails when they reach backoffLimit (any, if 0).
    fn past_backoff_limit_on_failure(&self, j: usize, live: &[usize]) -> bool {
        let d = &self.jobs[j].d;
        if !d.on_failure {
            return false;
        }
        let restarts: i64 = live
            .iter()
            .map(|&p| &self.pods[p])
            .filter(|p| !p.removed && matches!(p.phase, Phase::Pending | Phase::Running))
            .map(|p| p.restart_count() as i64)
            .sum();
        if d.backoff_limit == 0 {
            restarts > 0
        } else {
            restarts >= d.backoff_limit
        }
    }

    fn past_active_deadline(&self, j: usize) -> bool {
        let job = &self.jobs[j];
        match (job.d.active_deadline_seconds, job.status.start_time) {
            (Some(ads), Some(start)) if !job.d.suspend => {
                self.now.saturating_sub(start) >= ads.max(0) as Ms * 1000
            }
            _ => false,
        }
    }

    /// `matchPodFailurePolicy`: rules in order, first match wins; exit-code rules look at
    /// terminated containers with a non-zero exit code only.
    fn match_pod_failure_policy(&self, pfp: &model::PodFailurePolicy, pid: usize) -> PolicyOutcome {
        let p = &self.pods[pid];
        let ns = &self.jobs[p.job].namespace;
        for (i, rule) in pfp.rules.iter().enumerate() {
            let action: &'static str = match rule.action.as_str() {
                "FailJob" => "FailJob",
                "FailIndex" => "FailIndex",
                "Ignore" => "Ignore",
                "Count" => "Count",
                _ => continue, // unknown actions are skipped
            };
            let mut matched: Option<String> = None;
            if let Some(on) = &rule.on_exit_codes {
                // `containerStatuses` (sorted by name) first, then `initContainerStatuses`
                // (pod_failure_policy.go).
                for c in p.reported_regular_ctrs().into_iter().chain(p.init_ctrs()) {
                    let CState::Terminated { code, .. } = c.state else {
                        continue;
                    };
                    if code == 0 || on.container_name.as_ref().is_some_and(|n| n != &c.name) {
                        continue;
                    }
                    let inside = on.values.contains(&(code as i64));
                    if (on.operator == "In" && inside) || (on.operator == "NotIn" && !inside) {
                        matched = Some(format!("Container {} for pod {ns}/{} failed with exit code {code} matching {action} rule at index {i}", c.name, p.name));
                        break;
                    }
                }
            }
            for pattern in &rule.on_pod_conditions {
                let status = if pattern.status.is_empty() {
                    "True"
                } else {
                    pattern.status.as_str()
                };
                let has = match (pattern.type_.as_str(), status) {
                    ("DisruptionTarget", "True") => p.disruption_target,
                    ("DisruptionTarget", "False") => false,
                    _ => false,
                };
                if has && matched.is_none() {
                    matched = Some(format!(
                        "Pod {ns}/{} has condition {} matching {action} rule at index {i}",
                        p.name, pattern.type_
                    ));
                }
            }
            if let Some(msg) = matched {
                return PolicyOutcome {
                    action: Some(action),
                    count: action != "Ignore",
                    fail_job_message: (action == "FailJob").then(|| msg.into()),
                };
            }
        }
        PolicyOutcome {
            action: None,
            count: true,
            fail_job_message: None,
        }
    }

    /// The Suspended condition: True when suspended; flipped to False (and startTime reset) on
    /// resume; never added as False. Returns whether it changed.
    fn update_suspend_condition(&mut self, j: usize) -> bool {
        let suspend = self.jobs[j].d.suspend;
        let now = self.now;
        let existing = self.jobs[j]
            .status
            .conditions
            .iter()
            .position(|c| c.type_ == "Suspended");
        let (status, reason, message, event, event_msg) = if suspend {
            (
                "True",
                "JobSuspended",
                "Job suspended",
                Reason::Suspended,
                "Job suspended",
            )
        } else {
            (
                "False",
                "JobResumed",
                "Job resumed",
                Reason::Resumed,
                "Job resumed",
            )
        };
        match existing {
            None if !suspend => return false,
            Some(i) if self.jobs[j].status.conditions[i].status == status => return false,
            _ => {}
        }
        let cond = Cond {
            type_: "Suspended",
            status,
            reason: reason.into(),
            message: message.into(),
            at: now,
        };
        self.set_condition(j, cond);
        self.job_event(j, EventType::Normal, event, event_msg);
        if !suspend {
            self.jobs[j].status.start_time = Some(now);
        }
        true
    }

    /// Writes a condition: an existing one of the same type is updated in place.
    fn set_condition(&mut self, j: usize, cond: Cond) {
        self.tl.jobs[j].conditions.push(ConditionRecord {
            type_: cond.type_,
            status: cond.status,
            reason: cond.reason.clone(),
            message: cond.message.clone(),
            at: Time(cond.at),
        });
        let conds = &mut self.jobs[j].status.conditions;
        match conds.iter_mut().find(|c| c.type_ == cond.type_) {
            Some(c) => *c = cond,
            None => conds.push(cond),
        }
    }

    /// `trackJobStatusAndRemoveFinalizers` + `enactJobFinished`: count the newly finished pods,
    /// remove their finalizers, write the interim condition, and the terminal one once no pod
    /// is terminating.
    #[allow(clippy::too_many_arguments)]
    fn track_job_status_and_remove_finalizers(
        &mut self,
        j: usize,
        live: &[usize],
        new_succeeded: &[usize],
        new_failed: &[usize],
        outcomes: &[PolicyOutcome],
        finishing: Option<Finishing>,
        terminating: i64,
    ) {
        let indexed = self.jobs[j].d.indexed;
        for &pid in new_succeeded {
            self.pods[pid].finalizer = false;
            if !indexed {
                self.jobs[j].status.succeeded += 1;
            }
        }
        for (k, &pid) in new_failed.iter().enumerate() {
            self.pods[pid].finalizer = false;
            if outcomes[k].count {
                self.jobs[j].status.failed += 1;
            }
        }
        if indexed {
            self.jobs[j].status.succeeded = self.jobs[j].status.completed.len() as i64;
        }
        if let Some(f) = &finishing {
            // When the Job is finishing every pod may lose its finalizer; when it is failing the
            // pods that had not finished are counted as failed.
            for &pid in live {
                if !self.pods[pid].finalizer || self.pods[pid].removed {
                    continue;
                }
                self.pods[pid].finalizer = false;
                if !f.success && self.pods[pid].phase != Phase::Succeeded {
                    self.jobs[j].status.failed += 1;
                }
            }
            let interim = if f.success {
                "SuccessCriteriaMet"
            } else {
                "FailureTarget"
            };
            if self.jobs[j].status.condition(interim).is_none() {
                let cond = Cond {
                    type_: interim,
                    status: "True",
                    reason: f.reason.clone(),
                    message: f.message.clone(),
                    at: self.now,
                };
                self.set_condition(j, cond);
            }
            if terminating == 0 {
                self.enact_job_finished(j, f);
            }
        }
        for &pid in live {
            self.try_remove(pid);
        }
    }

    /// `enactJobFinished` + `recordJobFinished`: the terminal condition, completionTime, events,
    /// and the TTL clock.
    fn enact_job_finished(&mut self, j: usize, f: &Finishing) {
        let now = self.now;
        let terminal = if f.success { "Complete" } else { "Failed" };
        self.set_condition(
            j,
            Cond {
                type_: terminal,
                status: "True",
                reason: f.reason.clone(),
                message: f.message.clone(),
                at: now,
            },
        );
        self.jobs[j].finished = true;
        self.jobs[j].ctl = ControllerMemory::default();
        if f.success {
            self.jobs[j].status.completion_time = Some(now);
            let d = &self.jobs[j].d;
            if !d.indexed
                && d.completions
                    .is_some_and(|c| self.jobs[j].status.succeeded > c)
            {
                self.job_event(
                    j,
                    EventType::Warning,
                    Reason::TooManySucceededPods,
                    "Too many succeeded pods running after completion count reached",
                );
            }
            self.job_event(j, EventType::Normal, Reason::Completed, "Job completed");
        } else {
            let reason = match f.reason.as_str() {
                "BackoffLimitExceeded" => Reason::BackoffLimitExceeded,
                "DeadlineExceeded" => Reason::DeadlineExceeded,
                "PodFailurePolicy" => Reason::PodFailurePolicy,
                "MaxFailedIndexesExceeded" => Reason::MaxFailedIndexesExceeded,
                _ => Reason::FailedIndexes,
            };
            self.job_event(j, EventType::Warning, reason, f.message.clone());
        }
        if let Some(ttl) = self.jobs[j].d.ttl {
            self.at(now + ttl.max(0) as Ms * 1000, Ev::TtlExpired(j));
        }
        self.notify_job_finished(j);
    }

    /// Appends a status snapshot to the Job's record if anything `kubectl` shows changed.
    pub fn record_job(&mut self, j: usize) {
        let snap = self.status_snapshot(j);
        let history = &mut self.tl.jobs[j].history;
        if let Some(last) = history.last_mut() {
            let mut same = snap.clone();
            same.at = last.at;
            if *last == same {
                return;
            }
            if last.at == snap.at {
                *last = snap;
                return;
            }
        }
        history.push(snap);
    }

    /// The Job's status now, as the timeline keeps it (the API's int32 counts).
    pub fn status_snapshot(&self, j: usize) -> JobSnapshot {
        let job = &self.jobs[j];
        let s = &job.status;
        let int32 = |n: i64| n.clamp(i32::MIN.into(), i32::MAX.into()) as i32;
        JobSnapshot {
            at: Time(self.now),
            active: int32(s.active),
            ready: int32(s.ready),
            succeeded: int32(s.succeeded),
            failed: int32(s.failed),
            terminating: int32(s.terminating),
            completed_indexes: if job.d.indexed {
                Text::from(s.completed.to_string())
            } else {
                Text::default()
            },
            failed_indexes: s.failed_indexes.as_ref().map(|f| f.to_string().into()),
            start_time: s.start_time.map(Time).into(),
            completion_time: s.completion_time.map(Time).into(),
        }
    }
}

/// A pod the controller considers failed: phase Failed, or being deleted before it succeeded
/// unless only failed pods are replaced (`isPodFailed`).
fn is_pod_failed(phase: Phase, deleting: bool, only_replace_failed: bool) -> bool {
    if phase == Phase::Failed {
        return true;
    }
    !only_replace_failed && deleting && phase != Phase::Succeeded
}

/// Back-off left: 10s · 2^(failures−1), capped at 10 min, counted from the last failure.
fn remaining(failures: u32, last_failure: Ms, now: Ms) -> Ms {
    let shift = failures.saturating_sub(1).min(16);
    let backoff = (POD_FAILURE_BACKOFF_MS << shift).min(MAX_POD_FAILURE_BACKOFF_MS);
    let elapsed = now.saturating_sub(last_failure);
    backoff.saturating_sub(elapsed)
}

/// `matchSuccessPolicy`: the first rule satisfied by the succeeded indexes, as
/// "Matched rules at index <i>".
fn match_success_policy(
    policy: Option<&model::SuccessPolicy>,
    completions: i64,
    succeeded: &IndexSet,
) -> Option<String> {
    let policy = policy?;
    if succeeded.is_empty() {
        return None;
    }
    for (i, rule) in policy.rules.iter().enumerate() {
        let ok = match (&rule.succeeded_indexes, rule.succeeded_count) {
            (Some(text), count) => {
                let wanted = parse_indexes(text, completions);
                let have = wanted.iter().filter(|&&x| succeeded.contains(x)).count() as i64;
                match count {
                    Some(c) => have >= c,
                    None => have == wanted.len() as i64,
                }
            }
            (None, Some(c)) => succeeded.len() as i64 >= c,
            (None, None) => false,
        };
        if ok {
            return Some(format!("Matched rules at index {i}"));
        }
    }
    None
}
