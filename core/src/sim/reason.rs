//! `Reason`: every reason the simulator writes, as a one-byte API word.
//!
//! A reason is a fixed word of the API: a pod's STATUS column in `kubectl get pods`
//! (`ContainerCreating`, `Init:1/2`, `Terminating` …), a container state's reason (`Completed`,
//! `CrashLoopBackOff` …) and an event's reason (`Scheduled`, `SuccessfulCreate` …). Each pod
//! record holds up to eight of them inline and every event one, and a long run keeps hundreds
//! of thousands of both: as a `&'static str` each took 16 bytes, as this word it takes one
//! (docs/notes/sim-perf.md, stop 16). It reads, compares, prints and serialises as its string,
//! so `change.reason == "Running"` and the JSON are what they were.
//!
//! One list for all three uses, not a type each: the same words cross between them (a
//! container's `Error` becomes the pod's STATUS, the kubelet's `DeadlineExceeded` is both the
//! pod's status reason and an event), and one list is one place to add a word.

use super::timeline::{api_word, Phase};

api_word! {
    /// A reason the simulator writes: a pod's STATUS, a container state's reason or an event's
    /// reason (see the module documentation).
    Reason {
        // A pod's phase, which STATUS shows when nothing more specific applies.
        Pending = "Pending",
        Running = "Running",
        Succeeded = "Succeeded",
        Failed = "Failed",

        // A container's waiting and terminated reasons, and what else STATUS shows.
        ContainerCreating = "ContainerCreating",
        PodInitializing = "PodInitializing",
        Completed = "Completed",
        Error = "Error",
        OomKilled = "OOMKilled",
        CrashLoopBackOff = "CrashLoopBackOff",
        ErrImagePull = "ErrImagePull",
        ImagePullBackOff = "ImagePullBackOff",
        CreateContainerConfigError = "CreateContainerConfigError",
        Terminating = "Terminating",
        NotReady = "NotReady",
        DeadlineExceeded = "DeadlineExceeded",

        // STATUS while an init container is the one to look at (`printPod`): its reason…
        InitError = "Init:Error",
        InitOomKilled = "Init:OOMKilled",
        InitCrashLoopBackOff = "Init:CrashLoopBackOff",
        InitErrImagePull = "Init:ErrImagePull",
        InitImagePullBackOff = "Init:ImagePullBackOff",
        InitCreateContainerConfigError = "Init:CreateContainerConfigError",
        InitContainerCreating = "Init:ContainerCreating",
        // … or how many of the init containers are done (`Init:<done>/<all>`, up to eight; see
        // `Reason::init_progress`).
        Init0Of1 = "Init:0/1",
        Init0Of2 = "Init:0/2", Init1Of2 = "Init:1/2",
        Init0Of3 = "Init:0/3", Init1Of3 = "Init:1/3", Init2Of3 = "Init:2/3",
        Init0Of4 = "Init:0/4", Init1Of4 = "Init:1/4", Init2Of4 = "Init:2/4", Init3Of4 = "Init:3/4",
        Init0Of5 = "Init:0/5", Init1Of5 = "Init:1/5", Init2Of5 = "Init:2/5", Init3Of5 = "Init:3/5",
        Init4Of5 = "Init:4/5",
        Init0Of6 = "Init:0/6", Init1Of6 = "Init:1/6", Init2Of6 = "Init:2/6", Init3Of6 = "Init:3/6",
        Init4Of6 = "Init:4/6", Init5Of6 = "Init:5/6",
        Init0Of7 = "Init:0/7", Init1Of7 = "Init:1/7", Init2Of7 = "Init:2/7", Init3Of7 = "Init:3/7",
        Init4Of7 = "Init:4/7", Init5Of7 = "Init:5/7", Init6Of7 = "Init:6/7",
        Init0Of8 = "Init:0/8", Init1Of8 = "Init:1/8", Init2Of8 = "Init:2/8", Init3Of8 = "Init:3/8",
        Init4Of8 = "Init:4/8", Init5Of8 = "Init:5/8", Init6Of8 = "Init:6/8", Init7Of8 = "Init:7/8",

        // Events of the scheduler, the kubelet and the node controller about pods and nodes.
        Scheduled = "Scheduled",
        FailedScheduling = "FailedScheduling",
        Pulling = "Pulling",
        Pulled = "Pulled",
        Created = "Created",
        Started = "Started",
        Killing = "Killing",
        BackOff = "BackOff",
        FailedMount = "FailedMount",
        NodeNotReady = "NodeNotReady",
        NodeNotSchedulable = "NodeNotSchedulable",

        // Events of the Job controller (with `Completed`, `Failed` and `DeadlineExceeded` above).
        SuccessfulCreate = "SuccessfulCreate",
        SuccessfulDelete = "SuccessfulDelete",
        Suspended = "Suspended",
        Resumed = "Resumed",
        TooManySucceededPods = "TooManySucceededPods",
        BackoffLimitExceeded = "BackoffLimitExceeded",
        PodFailurePolicy = "PodFailurePolicy",
        MaxFailedIndexesExceeded = "MaxFailedIndexesExceeded",
        FailedIndexes = "FailedIndexes",

        // Events of the CronJob controller (with `SuccessfulCreate` and `SuccessfulDelete`).
        UnexpectedJob = "UnexpectedJob",
        SawCompletedJob = "SawCompletedJob",
        MissingJob = "MissingJob",
        UnknownTimeZone = "UnknownTimeZone",
        UnparseableSchedule = "UnparseableSchedule",
        InvalidSchedule = "InvalidSchedule",
        UnsupportedSchedule = "UnsupportedSchedule",
        MissSchedule = "MissSchedule",
        JobAlreadyActive = "JobAlreadyActive",
        TooManyMissedTimes = "TooManyMissedTimes",
    }
}

/// `Init:<done>/<all>`, row `all - 1`, column `done`.
const INIT_PROGRESS: [&[Reason]; 8] = {
    use Reason::*;
    [
        &[Init0Of1],
        &[Init0Of2, Init1Of2],
        &[Init0Of3, Init1Of3, Init2Of3],
        &[Init0Of4, Init1Of4, Init2Of4, Init3Of4],
        &[Init0Of5, Init1Of5, Init2Of5, Init3Of5, Init4Of5],
        &[Init0Of6, Init1Of6, Init2Of6, Init3Of6, Init4Of6, Init5Of6],
        &[
            Init0Of7, Init1Of7, Init2Of7, Init3Of7, Init4Of7, Init5Of7, Init6Of7,
        ],
        &[
            Init0Of8, Init1Of8, Init2Of8, Init3Of8, Init4Of8, Init5Of8, Init6Of8, Init7Of8,
        ],
    ]
};

impl Reason {
    /// The most init containers `init_progress` can count (a pod with more shows
    /// `PodInitializing`, and its run gets a note saying so).
    pub const MAX_INIT_PROGRESS: usize = INIT_PROGRESS.len();

    /// STATUS while the pod's init containers work through their list: `Init:<done>/<all>`, or
    /// `PodInitializing` beyond `MAX_INIT_PROGRESS` init containers.
    pub fn init_progress(done: usize, all: usize) -> Reason {
        INIT_PROGRESS
            .get(all.wrapping_sub(1))
            .and_then(|row| row.get(done))
            .copied()
            .unwrap_or(Reason::PodInitializing)
    }

    /// STATUS when an init container is waiting or has failed: `Init:` and its reason.
    pub fn of_init_container(reason: Reason) -> Reason {
        match reason {
            Reason::Error => Reason::InitError,
            Reason::OomKilled => Reason::InitOomKilled,
            Reason::CrashLoopBackOff => Reason::InitCrashLoopBackOff,
            Reason::ErrImagePull => Reason::InitErrImagePull,
            Reason::ImagePullBackOff => Reason::InitImagePullBackOff,
            Reason::CreateContainerConfigError => Reason::InitCreateContainerConfigError,
            Reason::ContainerCreating => Reason::InitContainerCreating,
            other => other,
        }
    }
}

/// STATUS shows the phase when nothing more specific applies.
impl From<Phase> for Reason {
    fn from(phase: Phase) -> Reason {
        match phase {
            Phase::Pending => Reason::Pending,
            Phase::Running => Reason::Running,
            Phase::Succeeded => Reason::Succeeded,
            Phase::Failed => Reason::Failed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Phase, Reason};

    #[test]
    fn init_progress_counts_up_to_eight_init_containers() {
        assert_eq!(Reason::init_progress(0, 1), "Init:0/1");
        assert_eq!(Reason::init_progress(2, 5), "Init:2/5");
        assert_eq!(Reason::init_progress(7, 8), "Init:7/8");
        for all in 1..=Reason::MAX_INIT_PROGRESS {
            for done in 0..all {
                let expected = format!("Init:{done}/{all}");
                assert_eq!(Reason::init_progress(done, all), expected.as_str());
            }
        }
        assert_eq!(Reason::init_progress(0, 9), Reason::PodInitializing);
    }

    #[test]
    fn a_phase_reads_as_the_same_word() {
        for phase in [
            Phase::Pending,
            Phase::Running,
            Phase::Succeeded,
            Phase::Failed,
        ] {
            assert_eq!(Reason::from(phase).as_str(), phase.as_str());
        }
        assert_eq!(
            Reason::of_init_container(Reason::OomKilled),
            "Init:OOMKilled"
        );
        assert_eq!(
            Reason::of_init_container(Reason::Completed),
            Reason::Completed
        );
        assert_eq!(std::mem::size_of::<Reason>(), 1);
        assert_eq!(std::mem::size_of::<Option<Reason>>(), 1);
    }
}
